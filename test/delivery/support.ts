// Shared set-up for the delivery tests: a fresh, migrated database of either provider with its repositories, a
// settable clock, subscribers and outbox rows made through the real repositories, and a log that is kept.
import type { ChannelName, NewNotification, Subscriber } from "../../src/app/ports.js";
import { createRepositories, migrate, openDatabase, type OpenDatabase, type Repositories } from "../../src/db/index.js";
import type { Provider } from "../../src/db/url.js";
import { freshDatabase, type TestDatabase } from "../db/helpers.js";

export const VN = "Asia/Ho_Chi_Minh";
export const local = (iso: string) => new Date(`${iso}+07:00`);

export interface DeliveryDb {
  test: TestDatabase;
  db: OpenDatabase;
  repositories: Repositories;
  close(): Promise<void>;
}

export async function deliveryDb(provider: Provider): Promise<DeliveryDb> {
  const test = await freshDatabase(provider);
  await migrate(test.url);
  const db = openDatabase(test.url);
  return {
    test,
    db,
    repositories: createRepositories(db),
    async close() {
      await db.close();
      await test.drop();
    },
  };
}

/** A clock the test sets; `sleep` moves it on instead of waiting (virtual time). */
export class TestClock {
  constructor(public t: Date) {}
  now = () => this.t;
  ms = () => this.t.getTime();
  set(at: Date): void {
    this.t = at;
  }
  advance(ms: number): void {
    this.t = new Date(this.t.getTime() + ms);
  }
  sleep = async (ms: number) => {
    this.advance(ms);
  };
}


let keySeq = 0;

export interface RowSpec {
  text?: string;
  notBefore: Date;
  expiresAt?: Date | null;
  eventType?: string;
}

/** Registers (or finds) the subscriber and enqueues one notification for them; returns the subscriber. */
export async function enqueueFor(repositories: Repositories, channel: ChannelName, chatId: string, spec: RowSpec): Promise<Subscriber> {
  const subscriber = await repositories.subscribers.register({ channel, chatId, locale: "vi" });
  await repositories.outbox.enqueue([notification(subscriber, spec)]);
  return subscriber;
}

export function notification(subscriber: Subscriber, spec: RowSpec): NewNotification {
  const n = ++keySeq;
  return {
    key: `test:${n}:${subscriber.channel}:${subscriber.chatId}`,
    eventKey: `test:${n}`,
    eventType: spec.eventType ?? "test",
    subscriberId: subscriber.id,
    channel: subscriber.channel,
    chatId: subscriber.chatId,
    text: spec.text ?? `Thông báo ${n} cho ${subscriber.chatId}`,
    notBefore: spec.notBefore,
    expiresAt: spec.expiresAt ?? null,
  };
}

/** Registers `count` subscribers on `channel` (chat ids from `firstChatId` up) and enqueues one row each, in one insert. */
export async function enqueueMany(repositories: Repositories, channel: ChannelName, count: number, spec: RowSpec & { firstChatId?: number }): Promise<Subscriber[]> {
  const subscribers: Subscriber[] = [];
  for (let i = 0; i < count; i++) {
    subscribers.push(await repositories.subscribers.register({ channel, chatId: String((spec.firstChatId ?? 10_000) + i), locale: "vi" }));
  }
  await repositories.outbox.enqueue(subscribers.map((s) => notification(s, spec)));
  return subscribers;
}

export async function rows(db: OpenDatabase) {
  return db.prisma.notification.findMany({ orderBy: { id: "asc" } });
}
