// What the image holds, assembled without Docker: the files the Dockerfile's last stage
// copies and a production install from bun.lock, in a temporary directory. Every entry
// point must resolve its imports from production dependencies alone (a devDependency
// imported at run time would crash the container); against PostgreSQL the API starts
// from there and answers /health, /metrics and the offline docs script.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestApp, type TestApp } from "./support/app";
import { copiedIntoFinalStage, parseDockerfile } from "./support/dockerfile";

const root = join(import.meta.dir, "..");
const ENTRY_POINTS = [
  "src/main.ts",
  "src/worker.ts",
  "src/scripts/migrate.ts",
  "src/scripts/storage-init.ts",
  "src/scripts/healthcheck.ts",
];

function run(cmd: string[], cwd: string, env: Record<string, string | undefined> = {}) {
  const result = Bun.spawnSync(cmd, { cwd, env: { ...process.env, ...env } });
  return {
    exitCode: result.exitCode,
    output: `${result.stdout.toString()}${result.stderr.toString()}`,
  };
}

describe("the image's file set", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "inv-image-"));
    const instructions = parseDockerfile(readFileSync(join(root, "Dockerfile"), "utf8"));
    for (const source of copiedIntoFinalStage(instructions)) {
      cpSync(join(root, source), join(dir, source), { recursive: true });
    }
    const install = run([process.execPath, "install", "--frozen-lockfile", "--production"], dir);
    if (install.exitCode !== 0) throw new Error(`production install failed:\n${install.output}`);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("the development tools are not installed", () => {
    // Some devDependencies (typescript, @types/*) come in anyway as peers of production
    // packages; the tools themselves must not.
    const tools = ["@biomejs/biome", "@redocly/cli", "drizzle-kit", "autocannon", "s3rver"];
    for (const name of [...tools, "kubernetes-models"]) {
      const installed = Bun.file(join(dir, "node_modules", name, "package.json")).size > 0;
      expect({ name, installed }).toEqual({ name, installed: false });
    }
  });

  test("every entry point resolves its imports from production dependencies", () => {
    const out = join(dir, ".bundle-check");
    const bundle = run(
      [process.execPath, "build", "--target=bun", "--outdir", out, ...ENTRY_POINTS],
      dir,
    );
    expect({ exitCode: bundle.exitCode, output: bundle.output.slice(0, 2000) }).toMatchObject({
      exitCode: 0,
    });
  }, 120_000);

  describe.skipIf(!process.env.TEST_DATABASE_URL)("started from there (PostgreSQL)", () => {
    let t: TestApp;
    let api: ReturnType<typeof Bun.spawn> | undefined;
    let port = 0;
    beforeAll(async () => {
      t = await createTestApp({ jobs: false });
      // Migrations as the hook Job runs them (already applied here: a no-op that must pass).
      const migrate = run(["bun", "run", "db:migrate"], dir, {
        DATABASE_URL: t.databaseUrl,
        MIGRATE_ON_START: "false",
      });
      expect({ exitCode: migrate.exitCode, output: migrate.output }).toMatchObject({
        exitCode: 0,
      });
      port = 20_000 + Math.floor(Math.random() * 20_000);
      api = Bun.spawn(["bun", "run", "src/main.ts"], {
        cwd: dir,
        env: {
          ...process.env,
          DATABASE_URL: t.databaseUrl,
          DATA_DIR: join(dir, "data"),
          PORT: String(port),
          HOST: "127.0.0.1",
          LOG_LEVEL: "warn",
        },
        stdout: "ignore",
        stderr: "inherit",
      });
      const deadline = Date.now() + 30_000;
      for (;;) {
        const res = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
        if (res?.status === 200) break;
        if (Date.now() > deadline) throw new Error("the API did not start from the image's files");
        await Bun.sleep(100);
      }
    }, 90_000);
    afterAll(async () => {
      api?.kill("SIGTERM");
      await api?.exited;
      await t?.close();
    });

    test("/metrics and the offline docs script are served; HEALTHCHECK's script passes", async () => {
      const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain("process_cpu_user_seconds_total");
      const script = await fetch(`http://127.0.0.1:${port}/docs/assets/standalone.js`);
      expect(script.status).toBe(200);
      await script.arrayBuffer();
      const check = run(["bun", "run", "src/scripts/healthcheck.ts"], dir, {
        PORT: String(port),
      });
      expect(check.exitCode).toBe(0);
      const away = run(["bun", "run", "src/scripts/healthcheck.ts"], dir, {
        PORT: "1",
        WORKER_METRICS_PORT: "2",
      });
      expect(away.exitCode).toBe(1);
    });
  });
});
