// An in-process officer console over a real database for the campaign-cycle pages (approval, reports, evaluation):
// a live plan, a small unit tree (LDLD → CD-01 → CDCS-A, CDCS-B; LDLD → CD-02 → CDCS-C), an officer of CD-01 (the
// level above two grassroots unions, with a registration of their own) and one-time login links issued the way
// /quanly issues them. The console's real routes on a real HTTP server on 127.0.0.1.
import pino from "pino";
import type { PledgeDraft } from "../../src/app/ports.js";
import { issueConsoleLink } from "../../src/console/links.js";
import { CampaignSchema } from "../../src/domain/campaign.js";
import { localDate } from "../../src/domain/clock.js";
import { DEFAULT_QUIET_HOURS } from "../../src/domain/quiet-hours.js";
import { consoleRoutes } from "../../src/console/routes.js";
import { officerSubject } from "../../src/console/principal.js";
import { consoleStore } from "../../src/console/wiring.js";
import { createRepositories, migrate, openDatabase, type OpenDatabase, type Repositories } from "../../src/db/index.js";
import { allowedHostNames } from "../../src/http/guards.js";
import { startHttpServer } from "../../src/http/server.js";
import { WebSessions } from "../../src/http/sessions/web-sessions.js";
import { parse } from "yaml";
import { liveCampaignYaml } from "./live-campaign.js";

export const TZ = "Asia/Ho_Chi_Minh";

export interface CycleConsole {
  url: string;
  db: OpenDatabase;
  r: Repositories;
  campaignId: number;
  officerId: number;
  /** A one-time login link for a subscriber (an officer). */
  loginLink(subscriberId: number): Promise<string>;
  /** Creates a member of the unit with a confirmed (pending) registration; returns its code and the member's id. */
  member(unitCode: string, name: string): Promise<{ code: string; subscriberId: number }>;
  /** Creates an officer of exactly that unit (a live grant); returns the subscriber id. */
  unitOfficer(unitCode: string, name: string): Promise<number>;
  close(): Promise<void>;
}

let chat = 900_000;

export async function startCycleConsole(databaseUrl: string): Promise<CycleConsole> {
  await migrate(databaseUrl);
  const db = openDatabase(databaseUrl);
  const r = createRepositories(db);
  const definition = CampaignSchema.parse(parse(liveCampaignYaml(localDate(new Date(), TZ), "cycle-console")));
  const { id: campaignId } = await r.campaigns.upsert(definition);
  await r.units.importAll([
    { code: "LDLD", name: "LĐLĐ tỉnh Thử nghiệm", parentCode: null, memberCount: 0 },
    { code: "CD-01", name: "Công đoàn ngành Giáo dục", parentCode: "LDLD", memberCount: 0 },
    { code: "CDCS-A", name: "Công đoàn Trường Tiểu học A", parentCode: "CD-01", memberCount: 10 },
    { code: "CDCS-B", name: "Công đoàn Trường THCS B", parentCode: "CD-01", memberCount: 10 },
    { code: "CD-02", name: "Công đoàn ngành Y tế", parentCode: "LDLD", memberCount: 0 },
    { code: "CDCS-C", name: "Công đoàn Bệnh viện C", parentCode: "CD-02", memberCount: 10 },
  ]);
  const title = definition.titles[0]!;
  const member = async (unitCode: string, name: string) => {
    const unit = (await r.units.findByCode(unitCode))!;
    const person = await r.subscribers.register({ channel: "telegram", chatId: String(chat++), displayName: name, locale: "vi" });
    await r.subscribers.setUnit(person.id, unit.id);
    const draft: PledgeDraft = { campaignId, phaseNumber: 1, kind: "individual", unitId: unit.id, fullName: name, position: null, commitment: "Hoàn thành xuất sắc nhiệm vụ", items: [{ type: "title", key: title.key, name: title.name }] };
    const pledge = await r.pledges.create(draft, person.id, definition.code_prefix, new Date());
    return { code: pledge.code, subscriberId: person.id };
  };
  const unitOfficer = async (unitCode: string, name: string) => {
    const person = await r.subscribers.register({ channel: "telegram", chatId: String(chat++), displayName: name, locale: "vi" });
    await r.subscribers.makeOfficer(person.id, (await r.units.findByCode(unitCode))!.id);
    return person.id;
  };
  const officer = await r.subscribers.register({ channel: "telegram", chatId: String(chat++), displayName: "Cán bộ Hoa", locale: "vi" });
  await r.subscribers.makeOfficer(officer.id, (await r.units.findByCode("CD-01"))!.id);
  const sessions = new WebSessions({ repository: r.webSessions });
  const logger = pino({ level: "silent" });
  const routes = consoleRoutes({ store: consoleStore(db, r), sessions, cookies: { secure: false }, allowedHosts: allowedHostNames(undefined), timezone: TZ, quietHours: DEFAULT_QUIET_HOURS, logger });
  const server = await startHttpServer({ port: 0, host: "127.0.0.1", routes, logger });
  const url = `http://127.0.0.1:${server.port}`;
  return {
    url,
    db,
    r,
    campaignId,
    officerId: officer.id,
    loginLink: async (subscriberId) => (await issueConsoleLink(sessions, officerSubject(subscriberId), url)).url,
    member,
    unitOfficer,
    close: async () => {
      await server.close();
      await db.close();
    },
  };
}
