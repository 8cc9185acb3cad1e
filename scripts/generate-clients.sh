#!/bin/sh
# Generates both Prisma clients (git-ignored) from the two schemas:
#   prisma/schema.prisma            → src/db/generated/sqlite
#   prisma/postgresql/schema.prisma → src/db/generated/postgresql  (derived: npm run db:pg-schema)
# For package.json "postinstall" / "db:generate" (npm puts node_modules/.bin on PATH). The drift between the two
# schemas is checked by test/db/schema-drift.test.ts, not here, so that an install never fails on it.
set -eu
cd "$(dirname "$0")/.."
prisma generate --schema prisma/schema.prisma
prisma generate --schema prisma/postgresql/schema.prisma
# The query compilers read from .wasm files, not kept on the heap as base64 strings (see the script).
node scripts/prisma-wasm-file.mjs src/db/generated/sqlite src/db/generated/postgresql
