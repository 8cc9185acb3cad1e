// docker-compose.yml and deploy/Caddyfile without a Docker engine: the compose file is parsed (YAML merge keys and
// variable interpolation as compose does them) and its essentials checked — PostgreSQL 16 on a named volume with a
// healthcheck, two webhook-mode replicas on one database whose environment passes the bot's own configuration parser,
// Caddy balancing over exactly those replicas with /healthz checks. Where the tools are installed, `caddy adapt` and
// `docker compose config` / `docker-compose config` check the files too (skipped, and said so, where they are not).
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadConfig } from "../../src/config.js";
import { ROOT } from "../support/bot-process.js";

type Service = {
  image?: string;
  build?: string | { context: string };
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  ports?: string[];
  expose?: string[];
};
type Compose = { services: Record<string, Service>; volumes?: Record<string, unknown> };

const SAMPLE_ENV: Record<string, string> = {
  POSTGRES_PASSWORD: "s3cret-pw",
  PUBLIC_URL: "https://bot.example.org",
  WEBHOOK_SECRET: "0123456789abcdef-XYZ_",
  SITE_ADDRESS: "bot.example.org",
  TELEGRAM_BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ012345678",
};

/** Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, $$. */
function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (whole, name: string | undefined, op: string | undefined, arg: string | undefined) => {
    if (whole === "$$") return "$";
    const value = env[name!];
    const unsetOrEmpty = value === undefined || (op?.startsWith(":") && value === "");
    if (op?.endsWith("?") && unsetOrEmpty) throw new Error(`${name}: ${arg}`);
    if (op?.endsWith("-") && unsetOrEmpty) return arg ?? "";
    return value ?? "";
  });
}

const composeText = readFileSync(join(ROOT, "docker-compose.yml"), "utf8");
/** Like compose: parse the YAML, then interpolate every string in it. */
function interpolateAll(value: unknown, env: Record<string, string>): unknown {
  if (typeof value === "string") return interpolate(value, env);
  if (Array.isArray(value)) return value.map((v) => interpolateAll(v, env));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateAll(v, env)]));
  return value;
}
const load = (env: Record<string, string>) => interpolateAll(parse(composeText, { merge: true }), env) as Compose;
const compose = load(SAMPLE_ENV);
const services = compose.services;
const bots = Object.entries(services).filter(([, s]) => s.build !== undefined);
const caddyfile = readFileSync(join(ROOT, "deploy", "Caddyfile"), "utf8");

describe("docker-compose.yml", () => {
  it("PostgreSQL 16 on a named volume, with a pg_isready healthcheck", () => {
    const pg = services.postgres!;
    expect(pg.image).toMatch(/^postgres:16(\b|$)/);
    const volume = pg.volumes?.find((v) => v.endsWith(":/var/lib/postgresql/data"));
    expect(volume).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(volume!.split(":")[0]);
    expect(pg.healthcheck?.test.join(" ")).toContain("pg_isready");
    expect(pg.environment?.POSTGRES_PASSWORD).toBe(SAMPLE_ENV.POSTGRES_PASSWORD);
  });

  it("two bot replicas built from this repository, in webhook mode, on the same PostgreSQL database", () => {
    expect(bots.map(([name]) => name).sort()).toEqual(["bot-1", "bot-2"]);
    const urls = new Set(bots.map(([, s]) => s.environment?.DATABASE_URL));
    expect(urls.size).toBe(1);
    const url = new URL([...urls][0]!);
    expect(url.protocol).toBe("postgresql:");
    expect(url.hostname).toBe("postgres");
    expect(url.password).toBe(SAMPLE_ENV.POSTGRES_PASSWORD);
    expect(url.pathname).toBe(`/${services.postgres!.environment!.POSTGRES_DB}`);
    expect(url.username).toBe(services.postgres!.environment!.POSTGRES_USER);
    for (const [name, bot] of bots) {
      expect(bot.build === "." || (typeof bot.build === "object" && bot.build.context === "."), name).toBe(true);
      expect(bot.environment?.UPDATES_MODE, name).toBe("webhook");
      expect(bot.depends_on?.postgres?.condition, name).toBe("service_healthy");
      expect(bot.healthcheck?.test.join(" "), name).toContain("/healthz");
      // Not published: only the proxy (and Prometheus on the compose network) reach a replica.
      expect(bot.ports, name).toBeUndefined();
    }
  });

  it("takes the tokens and the webhook settings from .env, and refuses to start without the password and the webhook settings", () => {
    const raw = parse(composeText, { merge: true }) as Compose;
    for (const [name] of bots) {
      const env = raw.services[name]!.environment!;
      for (const variable of ["PUBLIC_URL", "WEBHOOK_SECRET", "TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN"]) {
        expect(env[variable], `${name} ${variable}`).toMatch(new RegExp(`^\\$\\{${variable}(:?[-?][^}]*)?\\}$`));
      }
    }
    for (const required of ["POSTGRES_PASSWORD", "PUBLIC_URL", "WEBHOOK_SECRET"]) {
      const { [required]: _gone, ...rest } = SAMPLE_ENV;
      expect(() => load(rest), required).toThrow(required);
    }
  });

  it("each replica's environment passes the bot's configuration parser (webhook mode, web chat off)", () => {
    for (const [name, bot] of bots) {
      const config = loadConfig(bot.environment);
      expect(config.UPDATES_MODE, name).toBe("webhook");
      expect(config.PUBLIC_URL, name).toBe(SAMPLE_ENV.PUBLIC_URL);
      expect(config.TELEGRAM_BOT_TOKEN, name).toBe(SAMPLE_ENV.TELEGRAM_BOT_TOKEN);
      expect(config.webChatEnabled, name).toBe(false);
      // The image listens on PORT (default 3000), which the healthcheck and the proxy use.
      expect(config.PORT, name).toBe(3000);
    }
  });

  it("Caddy in front: the Caddyfile mounted, started once both replicas are healthy, ports 80 and 443", () => {
    const proxy = services.proxy!;
    expect(proxy.image).toMatch(/^caddy:2/);
    const mount = proxy.volumes?.find((v) => v.includes(":/etc/caddy/Caddyfile"));
    expect(mount?.split(":")[0]).toBe("./deploy/Caddyfile");
    expect(existsSync(join(ROOT, "deploy", "Caddyfile"))).toBe(true);
    for (const [name] of bots) expect(proxy.depends_on?.[name]?.condition).toBe("service_healthy");
    expect(proxy.ports).toEqual(expect.arrayContaining(["80:80", "443:443"]));
    expect(proxy.environment?.SITE_ADDRESS).toBe(SAMPLE_ENV.SITE_ADDRESS);
  });
});

describe("deploy/Caddyfile", () => {
  it("balances round robin over exactly the compose replicas on port 3000, checks /healthz, hides /metrics", () => {
    const upstreams = /reverse_proxy\s+([^{\n]+)\{/.exec(caddyfile)?.[1]?.trim().split(/\s+/);
    expect(upstreams?.sort()).toEqual(bots.map(([name]) => `${name}:3000`).sort());
    expect(caddyfile).toMatch(/lb_policy\s+round_robin/);
    expect(caddyfile).toMatch(/health_uri\s+\/healthz/);
    expect(caddyfile).toMatch(/respond\s+\/metrics\s+404/);
    expect(caddyfile).toContain("{$SITE_ADDRESS");
  });

  const caddy = spawnSync("caddy", ["version"], { encoding: "utf8" });
  const hasCaddy = caddy.status === 0;
  if (!hasCaddy) console.warn("[test/deploy] caddy is not installed: `caddy adapt` check of deploy/Caddyfile skipped");
  it.skipIf(!hasCaddy)(`caddy adapt accepts it (${hasCaddy ? "caddy installed" : "SKIPPED: caddy not installed"})`, () => {
    for (const siteAddress of [undefined, "bot.example.org"]) {
      const run = spawnSync("caddy", ["adapt", "--adapter", "caddyfile", "--config", join(ROOT, "deploy", "Caddyfile")], {
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "", HOME: tmpdir(), ...(siteAddress ? { SITE_ADDRESS: siteAddress } : {}) },
      });
      expect(run.status, run.stderr).toBe(0);
      const json = JSON.parse(run.stdout) as { apps: { http: { servers: Record<string, { listen: string[]; routes: unknown[] }> } } };
      const server = Object.values(json.apps.http.servers)[0]!;
      expect(server.listen).toEqual(siteAddress ? [":443"] : [":80"]);
      const text = JSON.stringify(server.routes);
      for (const [name] of bots) expect(text).toContain(`"dial":"${name}:3000"`);
      expect(text).toContain('"uri":"/healthz"');
    }
  });
});

describe("docker compose config", () => {
  const candidates: string[][] = [
    ["docker", "compose"],
    ["docker-compose"],
  ];
  const tool = candidates.find(([cmd, ...args]) => spawnSync(cmd!, [...args, "version"], { encoding: "utf8" }).status === 0);
  if (!tool) console.warn("[test/deploy] neither `docker compose` nor `docker-compose` is installed: their config check skipped");
  it.skipIf(!tool)(`accepts the file with a sample .env (${tool ? tool.join(" ") : "SKIPPED: no compose tool"})`, () => {
    const dir = mkdtempSync(join(tmpdir(), "congdoan-compose-"));
    try {
      cpSync(join(ROOT, "docker-compose.yml"), join(dir, "docker-compose.yml"));
      writeFileSync(join(dir, ".env"), Object.entries(SAMPLE_ENV).map(([k, v]) => `${k}=${v}`).join("\n") + "\n");
      const [cmd, ...args] = tool!;
      const run = spawnSync(cmd!, [...args, "config"], { cwd: dir, encoding: "utf8", env: { PATH: process.env.PATH ?? "", HOME: dir } });
      expect(run.status, run.stderr).toBe(0);
      const resolved = parse(run.stdout) as Compose;
      expect(Object.keys(resolved.services).sort()).toEqual(["bot-1", "bot-2", "postgres", "proxy"]);
      expect(resolved.services["bot-2"]!.environment!.UPDATES_MODE).toBe("webhook");
      // Without the password the tool refuses, naming it.
      writeFileSync(join(dir, ".env"), Object.entries(SAMPLE_ENV).filter(([k]) => k !== "POSTGRES_PASSWORD").map(([k, v]) => `${k}=${v}`).join("\n") + "\n");
      const refused = spawnSync(cmd!, [...args, "config"], { cwd: dir, encoding: "utf8", env: { PATH: process.env.PATH ?? "", HOME: dir } });
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toContain("POSTGRES_PASSWORD");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
