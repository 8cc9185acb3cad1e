// Loaded into the bot with `node --import` by npm run bench:idle for its breakdown run only (never for the figure
// itself, which comes from a run without it): records the modules the bot loads (a module-loader hook for ES modules,
// Module._load for CommonJS), and on SIGUSR2 writes to IDLE_PROBE_OUT a JSON of process.memoryUsage(), V8's heap
// spaces and code statistics, and the loaded modules (file, size) — what stays in memory at rest and why.
import { statSync, writeFileSync } from "node:fs";
import { createRequire, register } from "node:module";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";

const out = process.env.IDLE_PROBE_OUT;
const loaded = new Set();
const { port1, port2 } = new MessageChannel();
port1.on("message", (url) => loaded.add(url));
port1.unref();
const hook = `let port; export function initialize(d) { port = d.port; }
export async function load(url, context, next) { port.postMessage(url); return next(url, context); }`;
register(`data:text/javascript,${encodeURIComponent(hook)}`, { parentURL: import.meta.url, data: { port: port2 }, transferList: [port2] });
const Module = createRequire(import.meta.url)("node:module");
const load = Module._load;
Module._load = function (request, parent) {
  const exported = load.apply(this, arguments);
  try {
    const file = Module._resolveFilename(request, parent);
    if (file.startsWith("/")) loaded.add(`file://${file}`);
  } catch {
    // not resolvable by name
  }
  return exported;
};

process.on("SIGUSR2", () => {
  if (!out) return;
  const modules = [...loaded]
    .filter((u) => u.startsWith("file://"))
    .map((u) => {
      const file = fileURLToPath(u);
      let bytes = 0;
      try {
        bytes = statSync(file).size;
      } catch {
        // gone
      }
      return { file, bytes };
    });
  writeFileSync(out, JSON.stringify({ memoryUsage: process.memoryUsage(), heapSpaces: v8.getHeapSpaceStatistics(), heapCode: v8.getHeapCodeStatistics(), modules }));
});
