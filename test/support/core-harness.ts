// The real conversation core on a real, throwaway database (TEST_DATABASE's provider unless one is given), with the
// bundled Lai Châu plan and the fixture units loaded, a settable clock, and replies collected per turn.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pino } from "pino";
import { createBot } from "../../src/app/bot.js";
import { createInbound, type Inbound } from "../../src/app/inbound.js";
import type { ChannelName, IncomingMessage, OutgoingMessage } from "../../src/app/ports.js";
import { validateUnitsCsv } from "../../src/admin/units-csv.js";
import { parseCampaign } from "../../src/domain/campaign-parse.js";
import { createRepositories, migrate, openDatabase, type OpenDatabase, type Repositories } from "../../src/db/index.js";
import type { Provider } from "../../src/db/url.js";
import { freshDatabase, type TestDatabase } from "../db/helpers.js";
import { ROOT } from "./bot-process.js";
import { defaultProvider } from "./test-database.js";

export interface CoreHarness {
  repositories: Repositories;
  db: OpenDatabase;
  databaseUrl: string;
  inbound: Inbound;
  clock: { now: Date };
  /** One turn; returns what the bot answered. */
  say(chatId: string, text: string, extra?: Partial<IncomingMessage>): Promise<OutgoingMessage[]>;
  close(): Promise<void>;
}

export const silentLogger = pino({ level: "silent" });

export interface CoreOptions {
  now: Date;
  channel?: ChannelName;
  /** A fresh throwaway database of this provider (default: TEST_DATABASE, see test-database.ts)… */
  provider?: Provider;
  /** …or an existing one, e.g. to stand in for a restarted process. */
  databaseUrl?: string;
  units?: boolean;
  flowTtlMs?: number;
}

export async function startCore(options: CoreOptions): Promise<CoreHarness> {
  let fresh: TestDatabase | null = null;
  if (!options.databaseUrl) fresh = await freshDatabase(options.provider ?? defaultProvider());
  const url = options.databaseUrl ?? fresh!.url;
  await migrate(url);
  const db = openDatabase(url);
  const repositories = createRepositories(db);
  for (const file of ["lai-chau-2025.yaml", "bac-kan-2021.yaml"]) {
    const parsed = parseCampaign(file, readFileSync(join(ROOT, "prisma/campaigns", file), "utf8"));
    if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
    await repositories.campaigns.upsert(parsed.campaign);
  }
  if (options.units !== false) {
    const csv = readFileSync(join(ROOT, "test/fixtures/units/good.csv"), "utf8");
    const { rows, errors } = validateUnitsCsv("good.csv", csv, new Map());
    if (errors.length) throw new Error(errors.join("\n"));
    await repositories.units.importAll(rows);
  }
  const clock = { now: options.now };
  const now = () => clock.now;
  const bot = createBot({ ...repositories, timezone: "Asia/Ho_Chi_Minh", now, logger: silentLogger, flowTtlMs: options.flowTtlMs });
  const inbound = createInbound({ conversation: bot, processedUpdates: repositories.processedUpdates, subscribers: repositories.subscribers, now, logger: silentLogger });
  const channel = options.channel ?? "web";
  return {
    repositories,
    db,
    databaseUrl: url,
    inbound,
    clock,
    async say(chatId, text, extra = {}) {
      const out: OutgoingMessage[] = [];
      await inbound({ channel, chatId, text, ...extra }, async (m) => void out.push(m));
      return out;
    },
    async close() {
      await db.close();
      await fresh?.drop();
    },
  };
}

export const joined = (replies: OutgoingMessage[]) => replies.map((r) => r.text).join("\n---\n");
