// Run by scripts/generate-clients.sh after `prisma generate`: the query compiler of a generated client (WebAssembly)
// is read from a .wasm file beside its class module instead of from @prisma/client's base64 module.
//
// Why: Prisma 6.19's generated client loads its compiler with `import("…wasm-base64.mjs")` and decodes the exported
// string. That module stays in the module map for the life of the process, so its 2.4 MB source and the 2.4 MB
// `wasm` string it exports are kept on the V8 heap for ever (heap snapshot of the idle bot: 4.8 MB of a 38 MB heap),
// and decoding it makes 2 MB of garbage more at start-up. Read from a file, the bytes are garbage once compiled.
// The bytes are the same: they are decoded from the very module the generated code imports.
//
// Usage: node scripts/prisma-wasm-file.mjs src/db/generated/sqlite src/db/generated/postgresql
// Fails (exit 1) if the generated code does not have the expected shape, e.g. after a Prisma upgrade.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export const WASM_FILE = "query_compiler_bg.wasm";

const LOADER = /getQueryCompilerWasmModule: async \(\) => \{\n\s*const \{ wasm \} = await import\("(@prisma\/client\/runtime\/query_compiler_bg\.\w+\.wasm-base64\.mjs)"\)\n\s*return await decodeBase64AsWasm\(wasm\)\n\s*\}/;

for (const dir of process.argv.slice(2)) {
  const classFile = path.join(dir, "internal", "class.ts");
  const source = readFileSync(classFile, "utf8");
  const found = LOADER.exec(source);
  if (!found) {
    console.error(`${classFile}: the query compiler loader is not the one scripts/prisma-wasm-file.mjs expects (Prisma upgraded?)`);
    process.exit(1);
  }
  const { wasm } = await import(found[1]);
  const bytes = Buffer.from(wasm, "base64");
  new WebAssembly.Module(bytes); // throws if the bytes are not a valid module
  writeFileSync(path.join(dir, "internal", WASM_FILE), bytes);
  const loader = `getQueryCompilerWasmModule: async () => {
    // Patched by scripts/prisma-wasm-file.mjs (from ${found[1]}): read from a file, not kept as a string.
    const { readFile } = await import('node:fs/promises')
    return new WebAssembly.Module(await readFile(new URL("./${WASM_FILE}", import.meta.url)))
  }`;
  writeFileSync(classFile, source.replace(LOADER, loader));
  console.log(`${classFile}: query compiler read from internal/${WASM_FILE} (${(bytes.length / 1048576).toFixed(1)} MB)`);
}
