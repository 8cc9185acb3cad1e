// The benchmarks measure compiled JavaScript, as production runs it, never the tsx loader (about 33 MB resident and
// a transform on every import). `buildBot()` runs `npm run build` (dist/, what `node dist/main.js` runs); a bench child
// (scripts/bench/*-child.ts) is bundled by esbuild into one .mjs under node_modules/.cache, with every import of the
// project's src/ pointed at its compiled twin in dist/ (so the code measured is the code that ships, assets found from
// dist/) and packages left to node_modules.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const OUT = path.join(ROOT, "node_modules", ".cache", "congdoan-bench");

let built = false;

export function buildBot(): void {
  if (built) return;
  const run = spawnSync("npm", ["run", "build"], { cwd: ROOT, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`npm run build failed:\n${run.stdout}\n${run.stderr}`);
  built = true;
}

const compiled = new Map<string, Promise<string>>();

/** The bench child at `file` (a path or file URL), compiled; its path. */
export function compileChild(file: string): Promise<string> {
  const source = file.startsWith("file:") ? fileURLToPath(file) : path.resolve(file);
  let done = compiled.get(source);
  if (!done) {
    buildBot();
    const outfile = path.join(OUT, `${path.basename(source, ".ts")}.mjs`);
    mkdirSync(OUT, { recursive: true });
    const src = path.join(ROOT, "src") + path.sep;
    done = build({
      entryPoints: [source],
      outfile,
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      packages: "external",
      logLevel: "error",
      plugins: [
        {
          name: "src-to-dist",
          setup(b) {
            b.onResolve({ filter: /\/src\// }, (args) => {
              const resolved = path.resolve(args.resolveDir, args.path);
              if (!resolved.startsWith(src)) return undefined;
              return { path: path.join(ROOT, "dist", resolved.slice(src.length)), external: true };
            });
          },
        },
      ],
    }).then(() => outfile);
    compiled.set(source, done);
  }
  return done;
}

/**
 * The environment the container runs the bot with: the runtime stage's `ENV` lines of the Dockerfile, less what a
 * benchmark sets itself (DATABASE_URL, PORT, HOST). E.g. NODE_ENV and the allocator's settings.
 */
export function runtimeEnv(): Record<string, string> {
  const dockerfile = readFileSync(path.join(ROOT, "Dockerfile"), "utf8");
  const runtime = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
  const env: Record<string, string> = {};
  for (const block of runtime.matchAll(/^ENV\s+((?:.*\\\n)*.*)$/gm)) {
    for (const [, key, value] of block[1]!.replace(/\\\n/g, " ").matchAll(/(\w+)=(\S+)/g)) env[key!] = value!;
  }
  for (const key of ["DATABASE_URL", "PORT", "HOST"]) delete env[key];
  return env;
}

/** The node flags the container runs the bot with: the Dockerfile's CMD between "node" and "dist/main.js". */
export function runtimeNodeFlags(): string[] {
  const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(readFileSync(path.join(ROOT, "Dockerfile"), "utf8"))?.[1];
  const args = cmd ? (JSON.parse(cmd) as string[]) : [];
  const main = args.indexOf("dist/main.js");
  if (args[0] !== "node" || main < 0) throw new Error(`Dockerfile: CMD is not ["node", …, "dist/main.js"]: ${cmd}`);
  return args.slice(1, main);
}
