# syntax=docker/dockerfile:1
# congdoan-bot: multi-stage image. Stage 1 installs everything (compiling better-sqlite3, generating the Prisma
# clients), compiles the TypeScript to dist/ (npm run build), then drops the development packages; stage 2 runs the
# compiled JavaScript as the unprivileged "node" user with SQLite data on a volume — no tsx, no TypeScript source.

FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json prisma.config.ts tsconfig.json tsconfig.build.json ./
COPY prisma ./prisma
COPY scripts ./scripts
RUN npm ci
COPY src ./src
# TypeScript stays after the prune as an (optional) peer of prisma, which is installed: removed by hand.
RUN npm run build && npm prune --omit=dev \
 && rm -rf node_modules/typescript node_modules/@typescript node_modules/.bin/tsc node_modules/.bin/tsserver \
 && npm cache clean --force

FROM node:20-bookworm-slim AS runtime
# MALLOC_TRIM_THRESHOLD_: see the note on memory at the CMD below.
ENV NODE_ENV=production \
    DATABASE_URL=file:/data/congdoan-bot.db \
    PORT=3000 \
    HOST=0.0.0.0 \
    MALLOC_TRIM_THRESHOLD_=131072
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY locales ./locales
COPY prisma/migrations ./prisma/migrations
COPY prisma/campaigns ./prisma/campaigns
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The admin CLI in the container: docker compose exec bot-1 node dist/admin/main.js <command>
# V8 heap bounds: the bot keeps about 25 MB live, but with V8's defaults the garbage of a large broadcast (promoted by
# thousands of sends in flight) grows the heap to 120 MB and RSS to 250 MB, and it is not given back. A 64 MB old
# generation and 1 MB semi-spaces keep a 100,000-recipient broadcast under 150 MB at no loss of rate (npm run
# bench:broadcast, which runs the bot with these flags, read from this line).
# Memory at rest (npm run bench:idle, which runs the bot with this line's flags and the ENV above): most of what a
# resting bot held beyond its live data was glibc malloc arenas full of freed memory, left by V8's background threads
# — above all the optimizing compiler's zones when Prisma's query compiler (WebAssembly) tiered up during the
# migrations and the loading of the bundled plans (with --liftoff-only the other arenas held 1–2 MB instead of 20–40).
# --wasm-tiering-budget=18000000 (V8's default ×10) optimizes only WebAssembly functions that run a lot, so start-up
# does not tier up what it ran a few hundred times; --v8-pool-size=2 (4 by default) gives V8 as many background
# threads as the container's 2 CPUs, so fewer arenas; MALLOC_TRIM_THRESHOLD_=131072 (a fixed threshold, which also
# stops glibc from raising it after large frees) lets free() give the top of an arena back. Together: about 88 MB at
# rest instead of 105–120 MB with the same code.
CMD ["node", "--max-old-space-size=64", "--max-semi-space-size=1", "--v8-pool-size=2", "--wasm-tiering-budget=18000000", "dist/main.js"]
