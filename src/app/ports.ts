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
  /** The platform sent something the channel could not read: the person is told so, nothing else happens. */
  unreadable?: true;
  /** A photo came with the message (its caption, if any, is `text`); only the channel can fetch it. */
  photo?: IncomingPhoto;
}

/** A photo a person sent, fetched from the platform only when a step takes it (the platform's link and token stay in the channel). */
export interface IncomingPhoto {
  /** The image, within PHOTO_MAX_BYTES; throws PhotoDownloadError (src/channels/photo-download.ts) when it cannot be had. */
  download(): Promise<PhotoFile>;
}

export interface PhotoFile {
  /** image/jpeg, image/png or image/webp, from the bytes themselves. */
  contentType: string;
  bytes: Uint8Array;
}

export type PhotoProblem = "too-large" | "not-an-image" | "unreachable";

/** A photo cannot be had; `problem` says why (never the link, which may hold a token). */
export class PhotoDownloadError extends Error {
  constructor(readonly problem: PhotoProblem) {
    super(`photo download failed: ${problem}`);
    this.name = "PhotoDownloadError";
  }
}

/** The channels whose people can send a photo to the bot (the web chat cannot). */
export const CHANNELS_WITH_PHOTOS: ReadonlySet<ChannelName> = new Set<ChannelName>(["telegram", "zalo"]);

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
  /** The reader's language, for the few words a channel adds itself (e.g. "reply with a number" on Zalo). */
  locale?: Locale;
  /** A file, for channels that carry files (Telegram document, web chat download); see CHANNELS_WITH_FILES. */
  document?: OutgoingDocument;
}

export interface OutgoingDocument {
  fileName: string;
  mimeType: string;
  content: Uint8Array;
}

/** Zalo bots send text, images and stickers only; the others can carry a file. */
export const CHANNELS_WITH_FILES: ReadonlySet<ChannelName> = new Set<ChannelName>(["telegram", "web"]);

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
  findById(id: number): Promise<Subscriber | null>;
  /** Register, or reactivate and refresh the display name of, a subscriber. */
  register(input: { channel: ChannelName; chatId: string; displayName?: string; locale: Locale }): Promise<Subscriber>;
  setLocale(id: number, locale: Locale): Promise<void>;
  setUnit(id: number, unitId: number | null): Promise<void>;
  setStatus(id: number, status: Subscriber["status"]): Promise<void>;
  /**
   * Seeding and tests: a live officer grant of `unitId` without an invitation, and that unit as the person's own
   * unit too. (Redeeming an invitation — InviteRepository.redeem — leaves the own unit alone.)
   */
  makeOfficer(id: number, unitId: number): Promise<void>;
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

/** Where a person is in a guided conversation; persisted so a restart or a day's pause resumes at the same step. */
export interface ChatSession {
  flow: string | null;
  step: string | null;
  data: Record<string, unknown>;
  /** The choices of the last prompt, so a typed number picks one. */
  choices: Choice[] | null;
  expiresAt: Date | null;
}

export interface SessionRepository {
  get(channel: ChannelName, chatId: string): Promise<ChatSession | null>;
  save(channel: ChannelName, chatId: string, session: ChatSession): Promise<void>;
}

/** What a browser session is for: the web chat, the officer console, or a one-time link that opens a console session. */
export type WebSessionKind = "chat" | "console" | "console-link";

/** A server-issued browser session as stored (the token itself is never stored, only its hash). */
export interface WebSessionRecord {
  id: number;
  kind: WebSessionKind;
  /** Whose it is: the web chat's chat id, or the officer's subscriber id. */
  subject: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export interface WebSessionRepository {
  create(input: { tokenHash: string; kind: WebSessionKind; subject: string; now: Date; expiresAt: Date }): Promise<WebSessionRecord>;
  findByHash(tokenHash: string): Promise<WebSessionRecord | null>;
  touch(id: number, at: Date): Promise<void>;
  /** Revokes the session if it is live at `at`; true for the one call that did (a one-time link is used once). */
  revoke(id: number, at: Date): Promise<boolean>;
  /** Revokes every live session of this kind and subject; how many. */
  revokeAll(kind: WebSessionKind, subject: string, at: Date): Promise<number>;
  /** The sessions of this kind for these subjects that are neither revoked nor expired at `at`. */
  findUnended(kind: WebSessionKind, subjects: readonly string[], at: Date): Promise<WebSessionRecord[]>;
}

/** What an erasure removed or anonymised, per kind of row (for the admin's printout and the tests). */
export interface ErasureReport {
  subscriber: number;
  sessions: number;
  /** The web chat's browser sessions (their subject is the chat id). */
  webSessions: number;
  notifications: number;
  /** Kept as anonymous rows (no name, position, commitment or free text; the person's id replaced): coverage counts stay. */
  pledgesAnonymised: number;
  officerGrants: number;
  broadcastDrafts: number;
}

export interface ErasureRepository {
  /**
   * Erases a person (by their chat, registered or not) in one transaction: their subscriber row, conversation
   * session (and a web chat's browser sessions), notifications, officer grants and unsent broadcast drafts are deleted; their pledges are anonymised.
   */
  eraseChat(channel: ChannelName, chatId: string): Promise<ErasureReport>;
}

/** Retention: what the daily clean-up removes (see src/app/retention.ts). */
export interface RetentionRepository {
  /** Sent (and otherwise final) notifications finished before `before`; returns how many. */
  deleteFinishedNotifications(before: Date): Promise<number>;
  /** Update keys (handled, not in flight) received before `before`. */
  deleteProcessedUpdates(before: Date): Promise<number>;
  /** Conversation sessions whose flow expired before `before`, with their answers; and idle sessions not updated since `idleBefore`. */
  deleteExpiredSessions(before: Date, idleBefore: Date): Promise<number>;
  /** Browser sessions (web chat, console) that expired or were revoked before `before`. */
  deleteEndedWebSessions(before: Date): Promise<number>;
  /** Result photos received before `before` for results never saved (a /ketqua left half-way). */
  deleteUnsavedPhotos(before: Date): Promise<number>;
}

export type InviteRefusal = "unknown" | "used" | "expired";

export type InviteRedemption = { ok: true; role: "officer"; unitId: number; grantId: number } | { ok: false; reason: InviteRefusal; unitId?: number };

export interface InviteRepository {
  /** Stores a new invitation for `codeHash`; the plain code is never stored. */
  create(input: { codeHash: string; role: "officer"; unitId: number; expiresAt: Date }): Promise<void>;
  /** Whether the invitation could be redeemed at `now`, without changing anything (a failed try stores nothing). */
  check(codeHash: string, now: Date): Promise<{ ok: true; unitId: number } | { ok: false; reason: InviteRefusal; unitId?: number }>;
  /**
   * Marks the invitation used by `subscriberId` if it is valid at `now` — exactly one redemption can win — and, in the
   * same transaction, grants its unit (an OfficerGrant) and makes the person an officer. Their own unit is not touched.
   */
  redeem(codeHash: string, subscriberId: number, now: Date): Promise<InviteRedemption>;
}

/** An officer's mandate over a unit and its subtree, from one invitation; live while `revokedAt` is null. */
export interface OfficerGrant {
  id: number;
  subscriberId: number;
  unitId: number;
  inviteId: number | null;
  grantedAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
}

export type OfficerGrantTarget = { subscriberId: number } | { inviteCodeHash: string };

export interface OfficerGrantRepository {
  /** The person's live grant (the newest when several), or null. */
  live(subscriberId: number): Promise<OfficerGrant | null>;
  /** Live grants (and revoked ones with `includeRevoked`), oldest first. */
  list(options?: { includeRevoked?: boolean }): Promise<OfficerGrant[]>;
  /**
   * Revokes the live grants of a person, or the one given by an invitation; in the same transaction the person is a
   * member again when no live grant is left. Returns the grants revoked ([] when there was none).
   */
  revoke(target: OfficerGrantTarget, by: string, now: Date): Promise<OfficerGrant[]>;
}

/**
 * The outcome of claiming an update: `claimed` — this instance handles it now; `done` — handled already (a
 * redelivery: ignore it); `busy` — a live instance (possibly this one) is handling it right now: the caller waits
 * and claims again, because that handler may still fail (its claim is then released) or die (then taken over).
 */
export type UpdateClaim = "claimed" | "done" | "busy";

/** What a conversation turn starts from: who is talking (null: not a subscriber) and where they are in a flow. */
export interface TurnState {
  subscriber: Subscriber | null;
  session: ChatSession | null;
}

export interface UpdateClaimant {
  /** The claiming process (see InstanceRepository): stored as the claim's owner. */
  instanceId: string;
  now: Date;
  /**
   * An instance whose last heartbeat is older than this is dead (SIGKILL, power loss, a machine gone), and its claims
   * are taken over. A claim without an owner (written before owners existed) is dead when it was made before this.
   * A claim of the claimant itself is always live.
   */
  deadBefore: Date;
}

export interface ProcessedUpdateRepository {
  /**
   * Claims an update for handling, at most one live claim per key: the first claim wins; a claim whose owner is
   * dead (see UpdateClaimant.deadBefore) is taken over atomically, by one claimant only.
   */
  claim(key: string, claimant: UpdateClaimant): Promise<UpdateClaim>;
  /**
   * claim(), and with a claim won by its first insert (the common case) the chat's subscriber and session as they
   * are at that moment: the reads every turn starts with, in the same round trip. `state` is null otherwise (the
   * turn reads them itself).
   */
  claimForTurn(key: string, claimant: UpdateClaimant, chat: { channel: ChannelName; chatId: string }): Promise<{ claim: UpdateClaim; state: TurnState | null }>;
  /** Marks the update handled. False when the claim was no longer this instance's (it was taken over meanwhile). */
  finish(key: string, instanceId: string, now: Date): Promise<boolean>;
  /** Gives this instance's claim back after the handler failed, so the platform's redelivery is handled. */
  release(key: string, instanceId: string): Promise<void>;
}

export interface InstanceInfo {
  id: string;
  hostname: string;
  pid: number;
  startedAt: Date;
}

/**
 * Running bot processes and their heartbeats, in the shared database so that every instance (also on other
 * machines) can tell a live claim from one whose process died. Times are the instances' own clocks: they must agree
 * to well within the takeover time (three heartbeat intervals), as NTP-synchronised clocks do.
 */
export interface InstanceRepository {
  /** Records (or refreshes) this instance, with a heartbeat at `now`. */
  register(instance: InstanceInfo, now: Date): Promise<void>;
  /** The instance is alive at `now`. False when its row is gone (removed by a graceful stop or pruned). */
  beat(id: string, now: Date): Promise<boolean>;
  /** A graceful stop: the instance holds no claim any more. */
  remove(id: string): Promise<void>;
  /** Deletes instances silent since before `before` (long dead); returns how many. */
  prune(before: Date): Promise<number>;
}

export type PledgeKind = "individual" | "collective";
export type PledgeItemType = "title" | "movement" | "work" | "initiative";

export interface PledgeItem {
  type: PledgeItemType;
  /** The title's or movement's key in the campaign; absent for works and initiatives. */
  key?: string;
  name: string;
  description?: string;
  /** Works: the target date (YYYY-MM-DD, inside the phase). */
  targetDate?: string;
  /** Works: the anniversary it is dedicated to. */
  anniversaryKey?: string;
}

/** Everything the pledge conversation collects before confirmation. */
export interface PledgeDraft {
  campaignId: number;
  phaseNumber: number;
  kind: PledgeKind;
  unitId: number | null;
  fullName: string;
  position: string | null;
  commitment: string;
  items: PledgeItem[];
}

export interface Pledge extends PledgeDraft {
  id: number;
  /** Receipt code, e.g. LC25-000123. */
  code: string;
  subscriberId: number;
  status: "active" | "withdrawn";
  /** The unit's review: submitted (pending) on confirmation and after every edit, then approved or returned. */
  review: PledgeReview;
  /** Why it was returned; null unless returned. */
  reviewNote: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type PledgeReview = "pending" | "approved" | "returned";

/** An officer's review decision on one pending pledge. */
export type ReviewDecision = { kind: "approve" } | { kind: "return"; reason: string };

/** A pending pledge as the approval list shows it. */
export interface PendingPledge {
  id: number;
  code: string;
  campaignId: number;
  phaseNumber: number;
  subscriberId: number;
  kind: PledgeKind;
  fullName: string;
  unitId: number;
  unitCode: string;
  unitName: string;
  /** Title keys (or names when a title has no key), in item order. */
  titles: string[];
  createdAt: Date;
}

/** What a result is about: the pledge as a whole, or one of its works or initiatives (by position among its kind). */
export type ResultItem = "pledge" | `work:${number}` | `initiative:${number}`;
/** The pledge: đạt / chưa đạt; a work or initiative: hoàn thành / đang làm. */
export type ResultOutcome = "achieved" | "not-achieved" | "done" | "in-progress";

export interface PledgeResult {
  pledgeId: number;
  item: ResultItem;
  outcome: ResultOutcome;
  note: string | null;
  subscriberId: number;
  at: Date;
  /** The saved photo of a work or initiative (ResultPhoto id), if one was sent. */
  photoId: number | null;
}

/**
 * A photo's bytes go to and from the database in slices of this size (as hex text through raw SQL): both Prisma driver
 * adapters turn a whole BLOB/BYTEA into an array of numbers (8 bytes of heap per image byte), which under the
 * production heap bound (64 MB) runs out of memory for one large photo.
 */
export const PHOTO_SLICE_BYTES = 64 * 1024;

/** A result's photo as stored (without its bytes: PledgeRepository.photoSlice reads them a slice at a time). */
export interface StoredPhoto {
  id: number;
  contentType: string;
  pledgeId: number;
  /** The pledge's unit (null: a pledge without one), for the reader's scope. */
  unitId: number | null;
  item: ResultItem;
  size: number;
}

export interface PledgeEvent {
  action: "created" | "edited" | "withdrawn" | "approved" | "returned" | "resubmitted" | "result";
  subscriberId: number;
  at: Date;
  detail: Record<string, unknown>;
}

export interface PledgeRepository {
  /** Stores a confirmed pledge with its items and a "created" event; the code is `${codePrefix}-` + 6 digits. */
  create(draft: PledgeDraft, subscriberId: number, codePrefix: string, now: Date): Promise<Pledge>;
  /** Replaces fields and items; records an "edited" event with the fields that changed. */
  update(id: number, draft: PledgeDraft, bySubscriberId: number, now: Date): Promise<Pledge>;
  withdraw(id: number, bySubscriberId: number, now: Date): Promise<Pledge>;
  findByCode(code: string): Promise<Pledge | null>;
  /** The person's pledges, newest first. */
  listBySubscriber(subscriberId: number): Promise<Pledge[]>;
  history(id: number): Promise<PledgeEvent[]>;
  /** Active approved pledges (any review with `anyReview`) of a campaign (one phase, or all), in these units when given; by id. */
  listApproved(query: { campaignId: number; phaseNumber?: number; unitIds?: readonly number[]; anyReview?: boolean }): Promise<Pledge[]>;
  /**
   * Stores the member's answers (the latest per item replaces an earlier one) with who and when. Returns the items
   * whose staged photo was attached (one no longer staged — removed meanwhile, or attached already — is not).
   */
  saveResults(pledgeId: number, answers: { item: ResultItem; outcome: ResultOutcome; note: string | null; photoId?: number | null }[], bySubscriberId: number, now: Date): Promise<ResultItem[]>;
  /**
   * Keeps a photo received for a result still being answered; saveResults attaches it (a `photoId` of its answers),
   * replacing the item's earlier photo. Returns its id.
   */
  stagePhoto(input: { pledgeId: number; item: ResultItem; photo: PhotoFile; bySubscriberId: number; now: Date }): Promise<number>;
  /** A saved photo, or null (none, or still staged). */
  photo(id: number): Promise<StoredPhoto | null>;
  /** `length` bytes of a photo from `offset` (fewer at its end; none if it is gone). */
  photoSlice(id: number, offset: number, length: number): Promise<Uint8Array>;
  /** The results of these pledges. */
  results(pledgeIds: readonly number[]): Promise<PledgeResult[]>;
  /**
   * Active pending pledges of these campaigns whose unit is one of `unitIds` (not those of `excludeSubscriberId`: an
   * officer never reviews their own), oldest submission first; `total` counts them all.
   */
  listPending(query: { campaignIds: readonly number[]; unitIds: readonly number[]; limit: number; excludeSubscriberId?: number }): Promise<{ pledges: PendingPledge[]; total: number }>;
  /**
   * Applies `decision` if the pledge is still active and pending (else null: someone else decided first, or it was
   * edited or withdrawn), recording who and when in the history and, in the same transaction, the member's notice
   * in the outbox (its key made from the history event, so it is written exactly once).
   */
  review(input: { id: number; decision: ReviewDecision; bySubscriberId: number; now: Date; notice: (pledge: Pledge) => Omit<NewNotification, "key" | "eventKey" | "eventType"> | null }): Promise<Pledge | null>;
}

// ---- What units file to the level above per phase: the registration list and the phase report -----------------

export type FilingKind = "list" | "report";
/** No filing = chưa gửi (not sent). */
export type FilingStatus = "submitted" | "accepted" | "returned";

export interface UnitFiling {
  id: number;
  campaignId: number;
  phaseNumber: number;
  unitId: number;
  kind: FilingKind;
  status: FilingStatus;
  data: Record<string, unknown>;
  note: string | null;
  submittedById: number;
  submittedAt: Date;
  decidedById: number | null;
  decidedAt: Date | null;
}

export interface UnitFilingEvent {
  action: "submitted" | "accepted" | "returned";
  subscriberId: number;
  at: Date;
  detail: Record<string, unknown>;
}

export type FilingDecision = { kind: "accept" } | { kind: "return"; reason: string };

export interface UnitFilingRepository {
  list(query: { campaignId: number; phaseNumber: number; kind: FilingKind; unitIds: readonly number[] }): Promise<UnitFiling[]>;
  /**
   * Submits (or, after a return, submits again) with its data; null when it is already submitted or accepted (nothing
   * changes). The history records who and when.
   */
  submit(input: { campaignId: number; phaseNumber: number; unitId: number; kind: FilingKind; data: Record<string, unknown>; bySubscriberId: number; now: Date }): Promise<UnitFiling | null>;
  /** Accepts or returns a submitted filing (else null), with the officers' notices written to the outbox in the same transaction. */
  decide(input: { id: number; decision: FilingDecision; bySubscriberId: number; now: Date; notices: Omit<NewNotification, "key" | "eventKey" | "eventType">[] }): Promise<UnitFiling | null>;
  history(id: number): Promise<UnitFilingEvent[]>;
}

// ---- Year-end evaluation (bình xét) and commendation -------------------------------------------------------------

export interface EvaluationRecord {
  id: number;
  campaignId: number;
  subscriberId: number;
  pledgeId: number;
  unitId: number;
  fullName: string;
  titleKey: string | null;
  reason: string | null;
  proposedById: number;
  proposedAt: Date;
  decision: "awarded" | "not-awarded" | null;
  decidedTitle: string | null;
  decidedById: number | null;
  decidedAt: Date | null;
}

export interface EvaluationRepository {
  list(query: { campaignId: number; unitIds: readonly number[] }): Promise<EvaluationRecord[]>;
  /** Records (or replaces, while undecided) the proposal for the person; null when it is already decided. */
  propose(input: { campaignId: number; subscriberId: number; pledgeId: number; unitId: number; fullName: string; titleKey: string | null; reason: string | null; bySubscriberId: number; now: Date }): Promise<EvaluationRecord | null>;
  /** Records the decision once (null when already decided). */
  decide(input: { id: number; decision: "awarded" | "not-awarded"; decidedTitle: string | null; bySubscriberId: number; now: Date }): Promise<EvaluationRecord | null>;
}

// ---- Officers' reports: coverage of a unit subtree, and pledge exports -------------------------------------------

/** One unit's registration coverage in one campaign. */
export interface UnitCoverage {
  unitId: number;
  code: string;
  name: string;
  parentId: number | null;
  /** 0 for the subtree's root, 1 for its children, … */
  depth: number;
  /** The unit's own member_count (members of its descendants are in their own rows). */
  memberCount: number;
  /** Active subscribers whose unit is this one (any role). */
  subscribers: number;
  /** Distinct subscribers with an active individual pledge in the campaign, for this unit (the pledge's unit). */
  pledged: number;
  /** Of those, the distinct subscribers with an approved one: what the 100% target counts. */
  approved: number;
  /** approved / memberCount (the target counts approved registrations); null when memberCount is 0. */
  coverage: number | null;
  /** Title key → how many active pledges (individual or collective) of this unit name it. */
  titles: Record<string, number>;
  /** The unit has an active collective pledge in the campaign. */
  collective: boolean;
}

/**
 * The subtree's total. Each unit is counted once: memberCount is the sum of the units' own member_count (a parent's
 * member_count counts its own members, not its children's, so nothing is counted twice); pledged counts distinct
 * subscribers over the whole subtree; titles are summed.
 */
export interface CoverageTotal {
  units: number;
  memberCount: number;
  subscribers: number;
  pledged: number;
  approved: number;
  /** approved / memberCount (the target counts approved registrations); null when memberCount is 0. */
  coverage: number | null;
  titles: Record<string, number>;
  /** Units with an active collective pledge. */
  collectiveUnits: number;
}

export interface CoverageReport {
  /** In tree order: a unit, then its descendants (children by code). */
  units: UnitCoverage[];
  total: CoverageTotal;
}

/** One pledge as a row of an export file; every value is ready to show (dates "dd/mm/yyyy HH:mm" local time). */
export interface PledgeExportRow {
  code: string;
  campaignSlug: string;
  /** The plan's own name (its title), shown instead of the slug. */
  campaignName: string;
  phaseNumber: number;
  kind: PledgeKind;
  status: Pledge["status"];
  review: PledgeReview;
  fullName: string;
  position: string;
  unitCode: string;
  unitName: string;
  /** Title names joined "; ". */
  titles: string;
  /** Movement names joined "; ". */
  movements: string;
  /** "name (description) — anniversary — dd/mm/yyyy" per work, joined "; ". */
  works: string;
  /** "title — what it improves" per initiative, joined "; ". */
  initiatives: string;
  commitment: string;
  createdAt: string;
  updatedAt: string;
  /** The channel of the person who registered; "" when unknown. */
  channel: ChannelName | "";
}

export interface PledgeExportQuery {
  /** All campaigns when absent. */
  campaignId?: number;
  /** Pledges whose unit is one of these; all pledges (with or without a unit) when absent. */
  unitIds?: readonly number[];
  /** The console's filters: one phase, one status, pledges naming one title (its key). */
  phaseNumber?: number;
  status?: Pledge["status"];
  /** The unit's review (the console's chờ duyệt / đã duyệt / trả lại filter). */
  review?: Pledge["review"];
  titleKey?: string;
}

export interface PledgeReportRepository {
  /**
   * The unit of the officer's live grant (the newest when several; OfficerGrantRepository); null when they hold none,
   * e.g. after `officer revoke`. (A person's own unit can be changed freely with /unit: it is never an officer scope.)
   */
  officerGrantUnitId(subscriberId: number): Promise<number | null>;
  /** The unit and all its descendants, in tree order (a unit, then its children by code, depth first); [] when unknown. */
  unitSubtree(unitId: number): Promise<Unit[]>;
  /** Coverage per unit of `unitIds` (in the given order) and the total over them. */
  coverage(query: { campaignId: number; unitIds: readonly number[]; /** Count titles per unit (default true); pages that show none skip it. */ titles?: boolean }): Promise<CoverageReport>;
  /** One row per pledge (any status), by pledge id, read in pages so memory does not grow with the table. */
  exportRows(query: PledgeExportQuery): AsyncIterable<PledgeExportRow>;
  /** How many pledges exportRows would yield. */
  countExport(query: PledgeExportQuery): Promise<number>;
}

// ---- Scheduled pushes, broadcasts and their delivery -------------------------------------------------------------

export type NotificationStatus = "pending" | "sending" | "sent" | "failed" | "blocked" | "skipped";

export interface NewNotification {
  /** Idempotency key: event + recipient. A second enqueue of the same key is ignored. */
  key: string;
  eventKey: string;
  eventType: string;
  subscriberId: number;
  channel: ChannelName;
  chatId: string;
  text: string;
  notBefore: Date;
  expiresAt: Date | null;
  broadcastId?: number;
  /** Buttons whose values are commands (Telegram inline keyboard; numbered lines on Zalo and the web chat). */
  choices?: Choice[];
}

export interface ClaimedNotification {
  id: number;
  key: string;
  eventType: string;
  subscriberId: number;
  channel: ChannelName;
  chatId: string;
  text: string;
  attempts: number;
  expiresAt: Date | null;
  broadcastId: number | null;
  choices: Choice[] | null;
  /** The previous claim of this row died while sending: it may have been delivered already. */
  uncertain: boolean;
}

export interface OutboxRepository {
  /** Inserts the rows whose key is new; returns how many were new. */
  enqueue(rows: NewNotification[]): Promise<number>;
  /**
   * Claims up to `limit` due rows for `workerId`: pending with notBefore ≤ now, and rows whose claim is older than
   * `staleBefore` (their worker died mid-send: they come back flagged uncertain). Rows other workers hold are skipped.
   */
  claim(workerId: string, now: Date, limit: number, staleBefore: Date): Promise<ClaimedNotification[]>;
  markSent(id: number, now: Date): Promise<void>;
  /** Back to pending, to be tried again at `retryAt`. */
  retryLater(id: number, error: string, retryAt: Date): Promise<void>;
  markFailed(id: number, error: string, now: Date): Promise<void>;
  markBlocked(id: number, error: string, now: Date): Promise<void>;
  markSkipped(id: number, reason: string, now: Date): Promise<void>;
  /** Gives unsent claims back (graceful shutdown). */
  releaseClaims(workerId: string): Promise<void>;
  countByStatus(filter: { broadcastId?: number; eventType?: string }): Promise<Record<NotificationStatus, number>>;
  /** Pending rows that are due (for /metrics and the worker's idle wait). */
  dueCount(now: Date): Promise<number>;
}

export interface PlannedEventRecord {
  key: string;
  eventType: string;
  campaignId: number;
  dueAt: Date;
  status: "planned" | "skipped";
  reason: string | null;
  recipients: number;
  plannedAt: Date;
}

export interface PlannedEventRepository {
  /** Keys of the events already planned or skipped, among `keys`. */
  known(keys: string[]): Promise<Set<string>>;
  /** Stores the record; false when one for the key exists already (another instance planned the event first). */
  record(event: PlannedEventRecord): Promise<boolean>;
  list(campaignId?: number): Promise<PlannedEventRecord[]>;
}

/** Which subscribers an announcement goes to. Only active subscribers are ever included. */
export interface AudienceFilter {
  /** Units whose subscribers are included; null = every unit. */
  unitIds: number[] | null;
  /** Include subscribers who chose no unit (they belong to the owner's whole tree). */
  includeNoUnit: boolean;
  role?: "officer";
  /** Only those without an active individual pledge in this phase. */
  withoutPledgeIn?: { campaignId: number; phaseNumber: number };
}

export interface RecipientRepository {
  /** Active subscribers matching `filter`, in id order, `batchSize` at a time (memory does not grow with the audience). */
  stream(filter: AudienceFilter, batchSize: number): AsyncIterable<Subscriber[]>;
  count(filter: AudienceFilter): Promise<number>;
}

/** "unregistered" (console): the subtree's people without an active individual pledge in the record's phase. */
export type BroadcastAudience = "subtree" | "officers" | "unit" | "unregistered";

export interface BroadcastRecord {
  id: number;
  senderId: number;
  audience: BroadcastAudience;
  unitId: number | null;
  text: string;
  status: "draft" | "confirmed" | "done" | "cancelled";
  recipients: number;
  createdAt: Date;
  confirmedAt: Date | null;
  finishedAt: Date | null;
  /** Scheduled (from the console): nothing is delivered before this; null = at once. */
  sendAt: Date | null;
  /** Audience "unregistered": the campaign and phase whose registrations count. */
  campaignId: number | null;
  phaseNumber: number | null;
}

export interface BroadcastRepository {
  createDraft(input: { senderId: number; audience: BroadcastAudience; unitId: number | null; text: string; recipients: number; now: Date; sendAt?: Date | null; campaignId?: number | null; phaseNumber?: number | null }): Promise<BroadcastRecord>;
  /** draft → cancelled (the officer cancelled or changed it after the preview); false when it was not a draft. */
  cancel(id: number): Promise<boolean>;
  /** draft → confirmed, exactly once; false when it was not a draft any more. */
  confirm(id: number, now: Date): Promise<boolean>;
  markDone(id: number, now: Date): Promise<boolean>;
  find(id: number): Promise<BroadcastRecord | null>;
  /** The sender's latest broadcasts, newest first. */
  listBySender(senderId: number, limit: number): Promise<BroadcastRecord[]>;
  /** Confirmed broadcasts not yet done (for the delivery report). */
  listUnfinished(): Promise<BroadcastRecord[]>;
}
