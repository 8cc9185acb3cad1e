// Photos of works and initiatives sent with their results: the console route that serves one (only to an officer
// whose scope holds the pledge's unit; anyone else gets the same 404 as for a photo that does not exist), and the
// list of a pledge's works and initiatives with their results and thumbnails that the evaluation and pledge pages show.
import { PHOTO_SLICE_BYTES, type Pledge, type PledgeRepository, type PledgeResult, type StoredPhoto } from "../app/ports.js";
import { ConsoleAnswer, htmlResponse, type ConsoleOptions, type ConsoleRequest } from "./context.js";
import { html, join, type Html } from "./html.js";
import { CONSOLE_PATH, page } from "./layout.js";
import type { ConsolePage } from "./routes.js";

export const photoPath = (id: number) => `${CONSOLE_PATH}/photos/${id}`;

/** A pledge's unit is the reader's: inside their scope (a pledge without a unit: only for the whole tree). */
export const pledgeInScope = (r: ConsoleRequest, unitId: number | null) => (unitId === null ? r.principal.wholeTree : r.principal.unitIds.has(unitId));

export function photoPages(options: ConsoleOptions): ConsolePage[] {
  const { store } = options;
  return [
    {
      method: "GET",
      path: `${CONSOLE_PATH}/photos/:id`,
      handler: async (c, r) => {
        const id = /^[1-9]\d{0,9}$/.test(c.req.param("id") ?? "") ? Number(c.req.param("id")) : 0;
        const photo = id ? await store.pledges.photo(id) : null;
        if (!photo || !pledgeInScope(r, photo.unitId)) {
          throw new ConsoleAnswer(htmlResponse(String(page(r, "evaluation", r.tr("console.notFound.title"), html`<p>${r.tr("console.notFound.title")}</p>`)), 404));
        }
        return photoResponse(store.pledges, photo);
      },
    },
  ];
}

/**
 * The photo's bytes streamed a slice at a time as the reader takes them (never the whole image in memory). Never
 * cached, not even by the browser: the office PCs officers use are shared.
 */
export function photoResponse(pledges: Pick<PledgeRepository, "photoSlice">, photo: StoredPhoto): Response {
  let offset = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const slice = await pledges.photoSlice(photo.id, offset, Math.min(PHOTO_SLICE_BYTES, photo.size - offset));
      // Deleted (erasure, a newer photo) while being read: the response ends short rather than padded.
      if (slice.byteLength === 0) return controller.error(new Error("photo gone while being read"));
      controller.enqueue(slice);
      offset += slice.byteLength;
      if (offset >= photo.size) controller.close();
    },
  });
  return new Response(photo.size === 0 ? null : body, {
    status: 200,
    headers: {
      "content-type": photo.contentType,
      "content-length": String(photo.size),
      "x-content-type-options": "nosniff",
      "cache-control": "no-store",
      "content-disposition": `inline; filename="photo-${photo.id}.${photo.contentType.split("/")[1]}"`,
    },
  });
}

/** The pledge's works and initiatives with their results, each photo a thumbnail linking to the full image. */
export function resultItems(r: ConsoleRequest, pledge: Pledge, results: readonly PledgeResult[], person: string): Html {
  const { tr } = r;
  const rows: Html[] = [];
  for (const type of ["work", "initiative"] as const) {
    pledge.items
      .filter((i) => i.type === type)
      .forEach((item, n) => {
        const result = results.find((x) => x.pledgeId === pledge.id && x.item === `${type}:${n}`);
        const kind = tr(`console.evaluation.kind.${type}`);
        const thumb =
          result?.photoId != null
            ? html` <a class="photo" href="${photoPath(result.photoId)}" aria-label="${tr("console.evaluation.photoOpen", { kind, name: item.name })}"><img src="${photoPath(result.photoId)}" alt="${tr("console.evaluation.photoAlt", { kind, name: item.name, person })}" loading="lazy" width="160" height="120"></a>`
            : html``;
        rows.push(html`<li data-item="${type}:${n}">${tr(`console.pledges.item.${type}`)}: ${item.name} — ${result ? tr(`console.evaluation.outcome.${result.outcome}`) : tr("console.evaluation.outcome.none")}${thumb}</li>`);
      });
  }
  return rows.length ? html`<ul class="result-items" aria-label="${tr("console.evaluation.items")}">${join(rows)}</ul>` : html``;
}
