// CampaignRepository on Prisma. A campaign row keeps the searchable columns plus the whole validated definition as
// JSON; its phases and anniversaries are rows derived from the definition and replaced on every upsert.
import { CampaignSchema, type CampaignDefinition } from "../domain/campaign.js";
import { anniversariesOf, campaignSpan } from "../domain/calendar.js";
import type { CampaignRepository, StoredCampaign } from "../app/ports.js";
import type { DbClient } from "./client.js";
import { retryOnUniqueViolation } from "./errors.js";
import { asDate, rawSql } from "./raw-sql.js";

/** Interactive transactions default to 5 s; a campaign is small, but a slow PostgreSQL should not fail the load. */
const TRANSACTION = { maxWait: 10_000, timeout: 60_000 } as const;

type CampaignRow = { id: number; slug: string; definition: string; updatedAt: Date };

export class PrismaCampaignRepository implements CampaignRepository {
  /**
   * Parsed definitions by campaign id, with the updatedAt they were read at. Most updates read every campaign, and
   * parsing and re-validating the stored JSON cost more than the query: a read now fetches only ids and updatedAt and
   * parses the definitions that changed (a load by another process, such as the admin CLI, changes updatedAt).
   */
  private readonly parsed = new Map<number, StoredCampaign>();

  constructor(private readonly prisma: DbClient) {}

  async upsert(definition: CampaignDefinition, sourceFile?: string): Promise<{ id: number; created: boolean }> {
    const span = campaignSpan(definition);
    const columns = {
      year: definition.year,
      ownerName: definition.owner.name,
      ownerUnitCode: definition.owner.unit_code ?? null,
      title: definition.title,
      theme: definition.theme,
      startDate: span.start,
      endDate: span.end,
      definition: JSON.stringify(definition),
      sourceFile: sourceFile ?? null,
    };
    const phases = definition.phases.map((p) => ({
      number: p.number,
      name: p.name,
      startDate: p.start,
      endDate: p.end,
      theme: p.theme,
      focus: p.focus,
      reportDue: p.report_due ?? null,
    }));
    // The occurrence and phase come from the domain calendar, so the rows agree with what the bot shows;
    // the ordinal ("95 năm") is computed when shown, never stored.
    const anniversaries = anniversariesOf(definition).map((a) => ({
      key: a.key,
      name: a.name,
      baseDate: a.baseDate,
      date: a.date,
      phaseNumber: a.phaseNumber ?? null,
    }));

    // Two first loads of one slug at once: the loser's create hits the unique slug and is retried as an update.
    return retryOnUniqueViolation(() =>
      this.prisma.$transaction(async (tx) => {
        const existing = await tx.campaign.findUnique({ where: { slug: definition.slug }, select: { id: true } });
        let id: number;
        if (existing) {
          id = existing.id;
          await tx.phase.deleteMany({ where: { campaignId: id } });
          await tx.anniversary.deleteMany({ where: { campaignId: id } });
          await tx.campaign.update({ where: { id }, data: columns });
        } else {
          id = (await tx.campaign.create({ data: { slug: definition.slug, ...columns }, select: { id: true } })).id;
        }
        if (phases.length > 0) await tx.phase.createMany({ data: phases.map((p) => ({ ...p, campaignId: id })) });
        if (anniversaries.length > 0) {
          await tx.anniversary.createMany({ data: anniversaries.map((a) => ({ ...a, campaignId: id })) });
        }
        return { id, created: !existing };
      }, TRANSACTION),
    );
  }

  async listAll(): Promise<StoredCampaign[]> {
    // No parameter, so the same text on both providers; raw, as it runs on most updates (src/db/raw-sql.ts).
    const versions = (await rawSql(this.prisma).query<{ id: number | bigint; updatedAt: Date | string | number }>(`SELECT "id", "updatedAt" FROM "Campaign" ORDER BY "year" DESC, "slug" ASC`)).map((v) => ({ id: Number(v.id), updatedAt: asDate(v.updatedAt) }));
    const stale = versions.filter((v) => this.parsed.get(v.id)?.updatedAt.getTime() !== v.updatedAt.getTime()).map((v) => v.id);
    if (stale.length > 0) {
      const rows = await this.prisma.campaign.findMany({ where: { id: { in: stale } }, select: { id: true, slug: true, definition: true, updatedAt: true } });
      for (const row of rows) this.parsed.set(row.id, toStored(row));
    }
    const live = new Set(versions.map((v) => v.id));
    for (const id of this.parsed.keys()) if (!live.has(id)) this.parsed.delete(id);
    // A campaign updated between the two reads is returned as parsed; the next read sees the newer updatedAt.
    return versions.flatMap((v) => this.parsed.get(v.id) ?? []);
  }

  async findBySlug(slug: string): Promise<StoredCampaign | null> {
    const row = await this.prisma.campaign.findUnique({
      where: { slug },
      select: { id: true, slug: true, definition: true, updatedAt: true },
    });
    return row ? toStored(row) : null;
  }
}

function toStored(row: CampaignRow): StoredCampaign {
  let json: unknown;
  try {
    json = JSON.parse(row.definition);
  } catch {
    throw new Error(`campaign ${row.slug}: stored definition is not valid JSON; load its YAML file again`);
  }
  // Re-validating applies defaults added to the schema since the campaign was loaded.
  const parsed = CampaignSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const detail = issue ? ` (${issue.path.join(".")}: ${issue.message})` : "";
    throw new Error(
      `campaign ${row.slug}: stored definition no longer matches the campaign schema${detail}; load its YAML file again`,
    );
  }
  return { id: row.id, slug: row.slug, definition: parsed.data, updatedAt: row.updatedAt };
}
