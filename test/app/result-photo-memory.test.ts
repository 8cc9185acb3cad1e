// The bot runs with a 64 MB old generation (the Dockerfile's CMD). Both Prisma driver adapters turn a BLOB/BYTEA into
// an array of numbers (8 bytes of heap per image byte), so result photos go to and from the database in hex slices
// through raw SQL: here six photos of the largest size kept are written at once and then served at once (the console's
// streamed response) by a child process under that bound, on both providers, and come back byte for byte. Read or
// written whole through Prisma, one 5 MB photo, or six of 1 MB at once, ran out of heap.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { freshDatabase, PROVIDERS, type TestDatabase } from "../db/helpers.js";
import { ROOT } from "../support/bot-process.js";

const src = (path: string) => JSON.stringify(join(ROOT, "src", path));

const SCRIPT = `import { createHash, randomBytes } from "node:crypto";
import { PHOTO_MAX_BYTES } from ${src("channels/photo-download.ts")};
import { photoResponse } from ${src("console/photos.ts")};
import { openDatabase } from ${src("db/client.ts")};
import { createRepositories } from ${src("db/index.ts")};
import { migrate } from ${src("db/migrator.ts")};

const url = process.env.PHOTO_DATABASE_URL!;
await migrate(url);
const db = openDatabase(url);
const { pledges } = createRepositories(db);
const digest = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
// Random bytes behind a JPEG signature: incompressible, as a real JPEG is.
const images = Array.from({ length: 6 }, () => Object.assign(randomBytes(PHOTO_MAX_BYTES), { 0: 0xff, 1: 0xd8, 2: 0xff }));
const expected = images.map(digest);
const now = new Date();
const ids = await Promise.all(images.map((bytes, i) => pledges.stagePhoto({ pledgeId: 1000 + i, item: "work:0", photo: { contentType: "image/jpeg", bytes }, bySubscriberId: 1, now })));
images.length = 0;
await db.prisma.resultPhoto.updateMany({ where: { id: { in: ids } }, data: { savedAt: now } });
const served = await Promise.all(
  ids.map(async (id) => {
    // What pledges.photo(id) returns (it needs the pledge row too; metadata only either way).
    const photo = { id, pledgeId: 0, unitId: null, item: "work:0" as const, contentType: "image/jpeg", size: PHOTO_MAX_BYTES };
    const hash = createHash("sha256");
    let size = 0;
    for await (const chunk of photoResponse(pledges, photo).body!) {
      hash.update(chunk);
      size += chunk.byteLength;
    }
    return { size: size === photo.size && size === PHOTO_MAX_BYTES, digest: hash.digest("hex") };
  }),
);
await db.close();
console.log(JSON.stringify({ sizes: served.every((s) => s.size), same: served.map((s, i) => s.digest === expected[i]) }));
`;

for (const { provider, label, skip } of PROVIDERS) describe.skipIf(skip)(`result photos under the container's heap bound (${label})`, () => {
  let tdb: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    tdb = await freshDatabase(provider);
    dir = mkdtempSync(join(tmpdir(), "congdoan-photo-memory-"));
  });
  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    await tdb.drop();
  });

  it("writes six largest photos at once and serves them at once with --max-old-space-size=64", () => {
    const script = join(dir, "photos.mts");
    writeFileSync(script, SCRIPT);
    const run = spawnSync(process.execPath, ["--max-old-space-size=64", "--max-semi-space-size=1", "--import", "tsx", script], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 150_000,
      env: { ...process.env, PHOTO_DATABASE_URL: tdb.url },
    });
    expect(run.status, run.stderr.slice(-2000)).toBe(0);
    expect(JSON.parse(run.stdout.trim().split("\n").at(-1)!)).toEqual({ sizes: true, same: [true, true, true, true, true, true] });
  }, 180_000);
});
