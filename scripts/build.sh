#!/bin/sh
# npm run build: the Prisma clients (src/db/generated), then src/ compiled to dist/ by tsc (tsconfig.build.json: same
# layout, so module-relative paths to locales/ and prisma/migrations/ hold), then the web chat's static files beside
# their module and the Prisma query compilers' .wasm files (scripts/prisma-wasm-file.mjs). Run: node dist/main.js (the bot), node dist/admin/main.js <command> (the admin CLI).
set -eu
cd "$(dirname "$0")/.."
sh scripts/generate-clients.sh
rm -rf dist
tsc -p tsconfig.build.json
cp -R src/channels/web/public dist/channels/web/public
cp -R src/console/public dist/console/public
for provider in sqlite postgresql; do cp src/db/generated/$provider/internal/query_compiler_bg.wasm dist/db/generated/$provider/internal/; done
