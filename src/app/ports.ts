// Ports: what the application layer needs from the outside world. Channels and the database implement these;
// use-cases depend only on this file and the pure domain.
import type { CampaignDefinition } from "../domain/campaign.js";

export type ChannelName = "telegram" | "zalo" | "web";
export type Locale = "vi" | "en";

/** One shape for what every platform sends us. */
export interface IncomingMessage {
  channel: ChannelName;
  chatId: string;
  text: string;
  displayName?: string;
  /** The platform's language hint (Telegram's language_code), if any. */
  languageCode?: string;
  /** Platform update identity, for at-least-once de-duplication. */
  updateKey?: string;
}

export interface Choice {
  /** What the person sees. */
  label: string;
  /** What comes back when the choice is picked (a button callback or the typed number). */
  value: string;
}

/** One shape for what we send. Channels without buttons render `choices` as numbered text. */
export interface OutgoingMessage {
  text: string;
  choices?: Choice[];
}

export type Reply = (message: OutgoingMessage) => Promise<void>;

export interface StoredCampaign {
  id: number;
  slug: string;
  definition: CampaignDefinition;
  updatedAt: Date;
}

export interface CampaignRepository {
  /** Insert or update by slug; phases and anniversaries are replaced to match the definition. */
  upsert(definition: CampaignDefinition, sourceFile?: string): Promise<{ id: number; created: boolean }>;
  listAll(): Promise<StoredCampaign[]>;
  findBySlug(slug: string): Promise<StoredCampaign | null>;
}

export interface Subscriber {
  id: number;
  channel: ChannelName;
  chatId: string;
  displayName: string | null;
  role: "member" | "officer";
  unitId: number | null;
  locale: Locale;
  status: "active" | "stopped" | "blocked";
  createdAt: Date;
  updatedAt: Date;
}

export interface SubscriberRepository {
  find(channel: ChannelName, chatId: string): Promise<Subscriber | null>;
  /** Register, or reactivate and refresh the display name of, a subscriber. */
  register(input: { channel: ChannelName; chatId: string; displayName?: string; locale: Locale }): Promise<Subscriber>;
  setLocale(id: number, locale: Locale): Promise<void>;
  setUnit(id: number, unitId: number | null): Promise<void>;
  setStatus(id: number, status: Subscriber["status"]): Promise<void>;
}

export interface Unit {
  id: number;
  code: string;
  name: string;
  parentId: number | null;
  memberCount: number;
}

export interface UnitRow {
  code: string;
  name: string;
  parentCode: string | null;
  memberCount: number;
}

export interface UnitRepository {
  /** All rows in one transaction: parents before children, insert or update by code. */
  importAll(rows: UnitRow[]): Promise<{ created: number; updated: number }>;
  findByCode(code: string): Promise<Unit | null>;
  findById(id: number): Promise<Unit | null>;
  count(): Promise<number>;
  /** Case- and diacritic-insensitive search on name or code. */
  search(query: string, limit: number): Promise<Unit[]>;
}

export interface Health {
  /** True when the database answers. */
  databaseReachable(): Promise<boolean>;
}
