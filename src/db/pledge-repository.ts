// PledgeRepository on Prisma: a pledge, its items and its history change together, in one transaction.
import { PHOTO_SLICE_BYTES, type NewNotification, type PendingPledge, type PhotoFile, type Pledge, type PledgeDraft, type PledgeEvent, type PledgeItem, type PledgeRepository, type PledgeResult, type PledgeReview, type ResultItem, type ResultOutcome, type ReviewDecision, type StoredPhoto } from "../app/ports.js";
import type { DbClient, DbTransaction } from "./client.js";
import { notificationData } from "./outbox-repository.js";
import { asDate, placeholder, rawSql } from "./raw-sql.js";
import type { Provider } from "./url.js";

const REVIEWS: ReadonlySet<string> = new Set<PledgeReview>(["pending", "approved", "returned"]);
/** Ids per `IN (…)` list: far below SQLite's and PostgreSQL's bind-value limits. */
const ID_CHUNK = 500;

const WITH_ITEMS = { items: { orderBy: { id: "asc" } } } as const;

type PledgeRow = Awaited<ReturnType<DbClient["pledge"]["findUniqueOrThrow"]>> & {
  items: { type: string; key: string | null; name: string; description: string | null; targetDate: string | null; anniversaryKey: string | null }[];
};

function toItem(row: PledgeRow["items"][number]): PledgeItem {
  return {
    type: row.type as PledgeItem["type"],
    name: row.name,
    ...(row.key !== null ? { key: row.key } : {}),
    ...(row.description !== null ? { description: row.description } : {}),
    ...(row.targetDate !== null ? { targetDate: row.targetDate } : {}),
    ...(row.anniversaryKey !== null ? { anniversaryKey: row.anniversaryKey } : {}),
  };
}

/** The columns a Pledge is made of (the ORM row has more). */
type PledgeFields = Pick<PledgeRow, "id" | "code" | "campaignId" | "phaseNumber" | "subscriberId" | "kind" | "unitId" | "fullName" | "position" | "commitment" | "status" | "review" | "reviewNote" | "createdAt" | "updatedAt" | "items">;
const PLEDGE_COLUMNS = `"id", "code", "campaignId", "phaseNumber", "subscriberId", "kind", "unitId", "fullName", "position", "commitment", "status", "review", "reviewNote", "createdAt", "updatedAt"`;
type RawPledgeRow = Omit<PledgeFields, "items" | "createdAt" | "updatedAt"> & { createdAt: Date | string | number; updatedAt: Date | string | number };
type RawItemRow = PledgeRow["items"][number] & { pledgeId: number };

function toPledge(row: PledgeFields): Pledge {
  return {
    id: row.id,
    code: row.code,
    campaignId: row.campaignId,
    phaseNumber: row.phaseNumber,
    subscriberId: row.subscriberId,
    kind: row.kind === "collective" ? "collective" : "individual",
    unitId: row.unitId,
    fullName: row.fullName,
    position: row.position,
    commitment: row.commitment,
    status: row.status === "withdrawn" ? "withdrawn" : "active",
    review: REVIEWS.has(row.review) ? (row.review as PledgeReview) : "pending",
    reviewNote: row.reviewNote,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    items: row.items.map(toItem),
  };
}

const itemRows = (items: PledgeItem[]) =>
  items.map((i) => ({
    type: i.type,
    key: i.key ?? null,
    name: i.name,
    description: i.description ?? null,
    targetDate: i.targetDate ?? null,
    anniversaryKey: i.anniversaryKey ?? null,
  }));

const fields = (d: PledgeDraft) => ({
  campaignId: d.campaignId,
  phaseNumber: d.phaseNumber,
  kind: d.kind,
  unitId: d.unitId,
  fullName: d.fullName,
  position: d.position,
  commitment: d.commitment,
});

/** The draft fields whose value differs, for the history. */
function changedFields(before: Pledge, after: PledgeDraft): string[] {
  const keys = ["phaseNumber", "kind", "unitId", "fullName", "position", "commitment"] as const;
  const changed: string[] = keys.filter((k) => before[k] !== after[k]);
  if (JSON.stringify(itemRows(before.items)) !== JSON.stringify(itemRows(after.items))) changed.push("items");
  return changed;
}

export class PrismaPledgeRepository implements PledgeRepository {
  private readonly appendSql: string;
  private readonly sliceSql: string;

  constructor(
    private readonly prisma: DbClient,
    provider: Provider,
  ) {
    const p = placeholder(provider);
    // SQLite's || of two blobs is text (its length stops at a zero byte): the CAST keeps it a blob.
    this.appendSql =
      provider === "postgresql"
        ? `UPDATE "ResultPhoto" SET "bytes" = "bytes" || decode(${p(1)}, 'hex') WHERE "id" = ${p(2)}`
        : `UPDATE "ResultPhoto" SET "bytes" = CAST("bytes" || unhex(${p(1)}) AS BLOB) WHERE "id" = ${p(2)}`;
    this.sliceSql =
      provider === "postgresql"
        ? `SELECT encode(substring("bytes" from ${p(1)} for ${p(2)}), 'hex') AS "hex" FROM "ResultPhoto" WHERE "id" = ${p(3)}`
        : `SELECT hex(substr("bytes", ${p(1)}, ${p(2)})) AS "hex" FROM "ResultPhoto" WHERE "id" = ${p(3)}`;
  }

  async create(draft: PledgeDraft, subscriberId: number, codePrefix: string, now: Date): Promise<Pledge> {
    return this.prisma.$transaction(async (tx) => {
      // A provisional unique code, replaced by one derived from the row id (unique by construction).
      const provisional = `${codePrefix}-tmp-${subscriberId}-${now.getTime()}-${Math.random().toString(36).slice(2)}`;
      const created = await tx.pledge.create({
        data: { ...fields(draft), code: provisional, subscriberId, createdAt: now, updatedAt: now, items: { create: itemRows(draft.items) } },
      });
      const row = await tx.pledge.update({
        where: { id: created.id },
        data: { code: `${codePrefix}-${String(created.id).padStart(6, "0")}`, updatedAt: now },
        include: WITH_ITEMS,
      });
      await tx.pledgeEvent.create({ data: { pledgeId: row.id, action: "created", subscriberId, at: now } });
      return toPledge(row);
    });
  }

  async update(id: number, draft: PledgeDraft, bySubscriberId: number, now: Date): Promise<Pledge> {
    return this.prisma.$transaction(async (tx) => {
      const before = toPledge(await this.load(tx, id));
      await tx.pledgeItem.deleteMany({ where: { pledgeId: id } });
      // An edited registration is what the unit reviews next: a returned or approved one is submitted again.
      const resubmit = before.review !== "pending";
      const row = await tx.pledge.update({
        where: { id },
        data: { ...fields(draft), updatedAt: now, items: { create: itemRows(draft.items) }, ...(resubmit ? { review: "pending", reviewNote: null, reviewedById: null, reviewedAt: null } : {}) },
        include: WITH_ITEMS,
      });
      await tx.pledgeEvent.create({
        data: { pledgeId: id, action: "edited", subscriberId: bySubscriberId, at: now, detail: JSON.stringify({ changed: changedFields(before, draft) }) },
      });
      if (resubmit) {
        await tx.pledgeEvent.create({ data: { pledgeId: id, action: "resubmitted", subscriberId: bySubscriberId, at: now, detail: JSON.stringify({ was: before.review }) } });
      }
      return toPledge(row);
    });
  }

  async withdraw(id: number, bySubscriberId: number, now: Date): Promise<Pledge> {
    return this.prisma.$transaction(async (tx) => {
      const row = await tx.pledge.update({ where: { id }, data: { status: "withdrawn" }, include: WITH_ITEMS });
      await tx.pledgeEvent.create({ data: { pledgeId: id, action: "withdrawn", subscriberId: bySubscriberId, at: now } });
      return toPledge(row);
    });
  }

  async findByCode(code: string): Promise<Pledge | null> {
    const row = await this.prisma.pledge.findUnique({ where: { code }, include: WITH_ITEMS });
    return row ? toPledge(row) : null;
  }

  /** A member's own pledges (/camket, the pledge and result flows): hand-written, two statements (src/db/raw-sql.ts). */
  async listBySubscriber(subscriberId: number): Promise<Pledge[]> {
    const sql = rawSql(this.prisma);
    const p = placeholder(sql.provider);
    const pledges = await sql.query<RawPledgeRow>(`SELECT ${PLEDGE_COLUMNS} FROM "Pledge" WHERE "subscriberId" = ${p(1)} ORDER BY "id" DESC`, subscriberId);
    if (pledges.length === 0) return [];
    const items = await sql.query<RawItemRow>(
      `SELECT "pledgeId", "type", "key", "name", "description", "targetDate", "anniversaryKey" FROM "PledgeItem"
       WHERE "pledgeId" IN (SELECT "id" FROM "Pledge" WHERE "subscriberId" = ${p(1)}) ORDER BY "id" ASC`,
      subscriberId,
    );
    const byPledge = new Map<number, RawItemRow[]>();
    for (const item of items) {
      const list = byPledge.get(item.pledgeId);
      if (list) list.push(item);
      else byPledge.set(item.pledgeId, [item]);
    }
    return pledges.map((row) => toPledge({ ...row, createdAt: asDate(row.createdAt), updatedAt: asDate(row.updatedAt), items: byPledge.get(row.id) ?? [] }));
  }

  async history(id: number): Promise<PledgeEvent[]> {
    const rows = await this.prisma.pledgeEvent.findMany({ where: { pledgeId: id }, orderBy: { id: "asc" } });
    return rows.map((r) => ({
      action: r.action as PledgeEvent["action"],
      subscriberId: r.subscriberId,
      at: r.at,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    }));
  }

  async listApproved(query: { campaignId: number; phaseNumber?: number; unitIds?: readonly number[]; anyReview?: boolean }): Promise<Pledge[]> {
    const base = { campaignId: query.campaignId, status: "active", ...(query.anyReview ? {} : { review: "approved" }), ...(query.phaseNumber === undefined ? {} : { phaseNumber: query.phaseNumber }) };
    if (query.unitIds === undefined) return (await this.prisma.pledge.findMany({ where: base, include: WITH_ITEMS, orderBy: { id: "asc" } })).map(toPledge);
    const ids = [...new Set(query.unitIds)];
    const found: Pledge[] = [];
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      const rows = await this.prisma.pledge.findMany({ where: { ...base, unitId: { in: ids.slice(i, i + ID_CHUNK) } }, include: WITH_ITEMS, orderBy: { id: "asc" } });
      found.push(...rows.map(toPledge));
    }
    return found.sort((a, b) => a.id - b.id);
  }

  async saveResults(pledgeId: number, answers: { item: ResultItem; outcome: ResultOutcome; note: string | null; photoId?: number | null }[], bySubscriberId: number, now: Date): Promise<ResultItem[]> {
    return this.prisma.$transaction(async (tx) => {
      const attached: ResultItem[] = [];
      for (const a of answers) {
        const data = { outcome: a.outcome, note: a.note, subscriberId: bySubscriberId, at: now };
        await tx.pledgeResult.upsert({ where: { pledgeId_item: { pledgeId, item: a.item } }, create: { pledgeId, item: a.item, ...data }, update: data });
        if (a.photoId == null) continue;
        // The new photo replaces the item's earlier one; a photo staged for another pledge or item is never taken.
        const taken = await tx.resultPhoto.updateMany({ where: { id: a.photoId, pledgeId, item: a.item, savedAt: null }, data: { savedAt: now } });
        if (taken.count !== 1) continue;
        await tx.resultPhoto.deleteMany({ where: { pledgeId, item: a.item, id: { not: a.photoId } } });
        attached.push(a.item);
      }
      const detail = { results: answers.map((a) => [a.item, a.outcome]), photos: attached };
      await tx.pledgeEvent.create({ data: { pledgeId, action: "result", subscriberId: bySubscriberId, at: now, detail: JSON.stringify(detail) } });
      return attached;
    });
  }

  async stagePhoto(input: { pledgeId: number; item: ResultItem; photo: PhotoFile; bySubscriberId: number; now: Date }): Promise<number> {
    const { bytes } = input.photo;
    // The row first (no bytes), then the bytes appended slice by slice. Until saveResults sets savedAt the row is
    // staged: never served, and removed by retention if this fails half-way and the delete below fails too.
    const { id } = await this.prisma.resultPhoto.create({
      data: { pledgeId: input.pledgeId, item: input.item, contentType: input.photo.contentType, size: bytes.byteLength, bytes: new Uint8Array(0), subscriberId: input.bySubscriberId, at: input.now },
      select: { id: true },
    });
    try {
      for (let at = 0; at < bytes.byteLength; at += PHOTO_SLICE_BYTES) {
        const slice = bytes.subarray(at, at + PHOTO_SLICE_BYTES);
        await this.prisma.$executeRawUnsafe(this.appendSql, Buffer.from(slice.buffer, slice.byteOffset, slice.byteLength).toString("hex"), id);
      }
    } catch (error) {
      await this.prisma.resultPhoto.deleteMany({ where: { id } }).catch(() => {});
      throw error;
    }
    return id;
  }

  async photo(id: number): Promise<StoredPhoto | null> {
    if (!Number.isSafeInteger(id) || id <= 0) return null;
    const row = await this.prisma.resultPhoto.findFirst({ where: { id, savedAt: { not: null } }, select: { id: true, pledgeId: true, item: true, contentType: true, size: true } });
    const pledge = row && (await this.prisma.pledge.findUnique({ where: { id: row.pledgeId }, select: { unitId: true } }));
    if (!row || !pledge) return null;
    return { id: row.id, pledgeId: row.pledgeId, unitId: pledge.unitId, item: row.item as ResultItem, contentType: row.contentType, size: row.size };
  }

  async photoSlice(id: number, offset: number, length: number): Promise<Uint8Array> {
    const [row] = await this.prisma.$queryRawUnsafe<{ hex: string | null }[]>(this.sliceSql, offset + 1, length, id);
    return new Uint8Array(Buffer.from(row?.hex ?? "", "hex"));
  }

  async results(pledgeIds: readonly number[]): Promise<PledgeResult[]> {
    const ids = [...new Set(pledgeIds)];
    const out: PledgeResult[] = [];
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      const chunk = ids.slice(i, i + ID_CHUNK);
      const rows = await this.prisma.pledgeResult.findMany({ where: { pledgeId: { in: chunk } }, orderBy: { id: "asc" } });
      const photos = await this.prisma.resultPhoto.findMany({ where: { pledgeId: { in: chunk }, savedAt: { not: null } }, select: { id: true, pledgeId: true, item: true } });
      const photoOf = new Map(photos.map((p) => [`${p.pledgeId}/${p.item}`, p.id]));
      out.push(...rows.map((r) => ({ pledgeId: r.pledgeId, item: r.item as ResultItem, outcome: r.outcome as ResultOutcome, note: r.note, subscriberId: r.subscriberId, at: r.at, photoId: photoOf.get(`${r.pledgeId}/${r.item}`) ?? null })));
    }
    return out;
  }

  async listPending(query: { campaignIds: readonly number[]; unitIds: readonly number[]; limit: number; excludeSubscriberId?: number }): Promise<{ pledges: PendingPledge[]; total: number }> {
    const ids = [...new Set(query.unitIds)];
    let total = 0;
    const found: PendingPledge[] = [];
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      const where = {
        campaignId: { in: [...query.campaignIds] },
        status: "active",
        review: "pending",
        unitId: { in: ids.slice(i, i + ID_CHUNK) },
        ...(query.excludeSubscriberId === undefined ? {} : { subscriberId: { not: query.excludeSubscriberId } }),
      };
      total += await this.prisma.pledge.count({ where });
      const rows = await this.prisma.pledge.findMany({
        where,
        orderBy: [{ updatedAt: "asc" }, { id: "asc" }],
        take: query.limit,
        select: {
          id: true, code: true, campaignId: true, phaseNumber: true, subscriberId: true, kind: true, fullName: true, unitId: true, updatedAt: true,
          items: { where: { type: "title" }, orderBy: { id: "asc" }, select: { key: true, name: true } },
        },
      });
      const units = new Map(
        (await this.prisma.unit.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.unitId!))] } }, select: { id: true, code: true, name: true } })).map((u) => [u.id, u]),
      );
      for (const r of rows) {
        const unit = units.get(r.unitId!);
        found.push({
          id: r.id,
          code: r.code,
          campaignId: r.campaignId,
          phaseNumber: r.phaseNumber,
          subscriberId: r.subscriberId,
          kind: r.kind === "collective" ? "collective" : "individual",
          fullName: r.fullName,
          unitId: r.unitId!,
          unitCode: unit?.code ?? "?",
          unitName: unit?.name ?? "?",
          titles: r.items.map((item) => item.key ?? item.name),
          // Oldest first by submission: an edit submits again.
          createdAt: r.updatedAt,
        });
      }
    }
    found.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id);
    return { pledges: found.slice(0, query.limit), total };
  }

  async review(input: {
    id: number;
    decision: ReviewDecision;
    bySubscriberId: number;
    now: Date;
    notice: (pledge: Pledge) => Omit<NewNotification, "key" | "eventKey" | "eventType"> | null;
  }): Promise<Pledge | null> {
    const { id, decision, bySubscriberId, now } = input;
    return this.prisma.$transaction(async (tx) => {
      const approved = decision.kind === "approve";
      // updatedAt stays: it is when the member last submitted (the approval list's order), not when an officer decided.
      const before = await tx.pledge.findUnique({ where: { id }, select: { updatedAt: true } });
      if (!before) return null;
      // Conditional: of two officers pressing at once, one decides; the other gets null.
      const { count } = await tx.pledge.updateMany({
        where: { id, status: "active", review: "pending" },
        data: { updatedAt: before.updatedAt, review: approved ? "approved" : "returned", reviewNote: approved ? null : decision.reason, reviewedById: bySubscriberId, reviewedAt: now },
      });
      if (count === 0) return null;
      const event = await tx.pledgeEvent.create({
        data: { pledgeId: id, action: approved ? "approved" : "returned", subscriberId: bySubscriberId, at: now, detail: JSON.stringify(approved ? {} : { reason: decision.reason }) },
      });
      const pledge = toPledge(await this.load(tx, id));
      const notice = input.notice(pledge);
      if (notice) {
        const eventKey = `pledge-review:${id}:${event.id}`;
        await tx.notification.create({ data: { ...notificationData(notice), key: `${eventKey}:${notice.subscriberId}`, eventKey, eventType: "pledge-review" } });
      }
      return pledge;
    });
  }

  private async load(tx: DbTransaction, id: number): Promise<PledgeRow> {
    return tx.pledge.findUniqueOrThrow({ where: { id }, include: WITH_ITEMS });
  }
}
