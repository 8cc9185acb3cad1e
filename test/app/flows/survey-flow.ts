// A five-question flow on the toolkit, as a new flow is written: state schema, steps in order, done (≤ 40 lines).
import { z } from "zod";
import { defineFlow } from "../../../src/app/flow/define-flow.js";
import { end } from "../../../src/app/flow/step.js";
import { dateInRange } from "../../../src/app/flow/steps/date-in-range.js";
import { freeText } from "../../../src/app/flow/steps/free-text.js";
import { multiChoice } from "../../../src/app/flow/steps/multi-choice.js";
import { singleChoice, yesNo } from "../../../src/app/flow/steps/single-choice.js";

const Survey = z.object({ heard: z.string().optional(), topics: z.array(z.string()), idea: z.string().optional(), day: z.string().optional() });
type Survey = z.infer<typeof Survey>;

export const surveyFlow = (save: (answers: Survey & { contact: boolean }) => Promise<void>) =>
  defineFlow<Survey>({
    name: "survey",
    version: 1,
    state: Survey,
    restartCommand: "/khaosat",
    steps: [
      singleChoice({ id: "heard", question: () => "Bạn biết phong trào qua đâu?", options: () => [{ key: "zalo", label: "Zalo" }, { key: "to-truong", label: "Tổ trưởng công đoàn" }], choose: (c, k) => void (c.state.heard = k) }),
      multiChoice({
        id: "topics",
        question: () => "Bạn quan tâm nội dung nào?",
        options: () => ["An toàn lao động", "Sáng kiến", "Văn hoá, thể thao", "Nhà ở công nhân"].map((label, i) => ({ key: `t${i + 1}`, label })),
        selected: (s) => s.topics,
        select: (s, keys) => void (s.topics = keys),
      }),
      freeText({ id: "idea", question: (_, l) => `Góp ý của bạn (${l.min}–${l.max} ký tự)?`, limits: { min: 5, max: 300 }, multiline: true, set: (c, v) => void (c.state.idea = v!) }),
      dateInRange({ id: "day", timezone: "Asia/Ho_Chi_Minh", question: (_, d) => `Ngày bạn có thể tham gia (${d.start} – ${d.end}), ví dụ ${d.example}?`, range: () => ({ start: "2025-05-01", end: "2025-06-30" }), set: (c, d) => void (c.state.day = d) }),
      yesNo({ id: "contact", question: () => "Cán bộ công đoàn có thể liên hệ với bạn không?", choose: async (c, yes) => (await save({ ...c.state, contact: yes }), end("Cảm ơn bạn đã trả lời!")) }),
    ],
  });
