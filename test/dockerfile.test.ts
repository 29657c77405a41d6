// The Dockerfile, checked without a Docker engine: what it copies exists and reaches the
// build context, what it runs exists, the base image is the pinned Bun, it runs as a
// non-root user with a HEALTHCHECK, plus the hadolint rules that apply to a file like it.
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { copiedIntoFinalStage, parseDockerfile } from "./support/dockerfile";

const root = join(import.meta.dir, "..");
const read = (path: string) => readFileSync(join(root, path), "utf8");
const pkg = JSON.parse(read("package.json")) as {
  packageManager: string;
  scripts: Record<string, string>;
};
const bunVersion = pkg.packageManager.replace(/^bun@/, "");

/** A JSON-array (exec form) argument list, or undefined for the shell form. */
function execForm(args: string): string[] | undefined {
  if (!args.startsWith("[")) return undefined;
  return JSON.parse(args) as string[];
}

/** .dockerignore patterns, matched as Docker does for the simple forms used here. */
function ignoredByDockerignore(path: string): boolean {
  const patterns = read(".dockerignore")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
  let ignored = false;
  for (const pattern of patterns) {
    const negate = pattern.startsWith("!");
    const body = (negate ? pattern.slice(1) : pattern).replace(/^\/+/, "").replace(/\/+$/, "");
    const regex = new RegExp(
      `^${body
        .split("/")
        .map((part) =>
          part === "**"
            ? ".*"
            : part
                .replace(/[.+^${}()|[\]\\]/g, "\\$&")
                .replace(/\*/g, "[^/]*")
                .replace(/\?/g, "."),
        )
        .join("/")
        .replace(/\.\*\//g, "(.*/)?")}(/.*)?$`,
    );
    if (regex.test(path)) ignored = !negate;
  }
  return ignored;
}

/** `expect(value).toBe(expected)` whose failure names what was checked. */
function expectAbout(context: object, fact: string, value: unknown, expected: unknown) {
  expect({ ...context, [fact]: value }).toEqual({ ...context, [fact]: expected });
}

const instructions = parseDockerfile(read("Dockerfile"));
const of = (keyword: string) => instructions.filter((i) => i.keyword === keyword);
const lastStage = Math.max(...instructions.map((i) => i.stage));
const final = instructions.filter((i) => i.stage === lastStage);

/** Files the build context sends that a COPY without --from names. */
function copiedSources() {
  return of("COPY")
    .filter((i) => !/--from=/.test(i.args))
    .flatMap((i) => {
      const parts = i.args.split(/\s+/).filter((part) => !part.startsWith("--"));
      return parts.slice(0, -1).map((source) => ({ source, line: i.line }));
    });
}

/** Paths the final stage holds from the context (what COPY put there). */
function inFinalImage(path: string) {
  return copiedIntoFinalStage(instructions).some(
    (source) => path === source || path.startsWith(`${source.replace(/\/$/, "")}/`),
  );
}

/** The files a `bun run <x>` command line needs: a script's own files, followed through. */
function filesRunBy(command: string[], seen = new Set<string>()): string[] {
  const files: string[] = [];
  const [first, ...rest] = command;
  const args = first === "bun" && rest[0] === "run" ? rest.slice(1) : first === "bun" ? rest : [];
  if (first === "sh") files.push(...rest.filter((arg) => arg.endsWith(".sh")));
  const target = args.find((arg) => !arg.startsWith("-"));
  if (first === "sh" && rest[0]?.endsWith(".sh") && rest[1] === "run") {
    files.push(...filesRunBy(["bun", ...rest.slice(1)], seen));
  }
  if (!target) return files;
  if (pkg.scripts[target] !== undefined) {
    if (seen.has(target)) return files;
    seen.add(target);
    for (const part of pkg.scripts[target]!.split(/&&|;/)) {
      files.push(...filesRunBy(part.trim().split(/\s+/), seen));
    }
    return files;
  }
  if (/\.(ts|js|sh)$/.test(target)) files.push(target);
  return files;
}

describe("Dockerfile", () => {
  test("every stage starts from the official slim Bun image of packageManager's version", () => {
    const froms = of("FROM");
    expect(froms.length).toBeGreaterThanOrEqual(2);
    const names = new Set<string>();
    for (const from of froms) {
      const [image, as, name] = from.args.split(/\s+/);
      if (names.has(image!)) continue;
      expect(image).toBe(`oven/bun:${bunVersion}-slim`);
      expect(as?.toUpperCase()).toBe("AS");
      names.add(name!);
    }
  });

  test("every COPY source exists in the repository and is not left out by .dockerignore", () => {
    const sources = copiedSources();
    expect(sources.length).toBeGreaterThan(3);
    for (const { source, line } of sources) {
      expectAbout({ line, source }, "exists", existsSync(join(root, source)), true);
      expectAbout({ line, source }, "ignored", ignoredByDockerignore(source), false);
    }
  });

  test("COPY --from names an earlier stage", () => {
    const stages = of("FROM").map((i) => i.args.split(/\s+/)[2]);
    for (const copy of of("COPY").filter((i) => /--from=/.test(i.args))) {
      const from = /--from=(\S+)/.exec(copy.args)![1]!;
      expect(stages.slice(0, copy.stage)).toContain(from);
    }
  });

  test("installs production dependencies from the lockfile", () => {
    const install = of("RUN").find((i) => /\bbun install\b/.test(i.args));
    expect(install?.args).toContain("--frozen-lockfile");
    expect(install?.args).toContain("--production");
  });

  test("the commands it runs, and the API, worker and migration commands, exist in the image", () => {
    const cmd = final.filter((i) => i.keyword === "CMD");
    expect(cmd).toHaveLength(1);
    const health = final.find((i) => i.keyword === "HEALTHCHECK")!;
    const healthCommand = execForm(health.args.replace(/^.*?\bCMD\s+/, ""))!;
    const commands = [
      execForm(cmd[0]!.args)!,
      healthCommand,
      ["bun", "run", "worker"],
      ["bun", "run", "db:migrate"],
    ];
    for (const command of commands) {
      const files = filesRunBy(command);
      expectAbout({ command }, "files", files.length > 0, true);
      for (const file of files) {
        expectAbout({ command, file }, "exists", existsSync(join(root, file)), true);
        expectAbout({ command, file }, "copied", inFinalImage(file), true);
      }
    }
    // The default command is the API; the others are the worker and the migrations.
    expect(filesRunBy(execForm(cmd[0]!.args)!)).toContain("src/main.ts");
    expect(filesRunBy(["bun", "run", "worker"])).toContain("src/worker.ts");
    expect(filesRunBy(["bun", "run", "db:migrate"])).toContain("src/scripts/migrate.ts");
    // Migrations read the SQL files at run time.
    expect(inFinalImage("drizzle/meta/_journal.json")).toBe(true);
  });

  test("the worker's `bun run worker` does not reinstall at start (scripts/bun.sh)", () => {
    // scripts/bun.sh installs when package.json or bun.lock is newer than node_modules.
    expect(pkg.scripts.worker).toContain("scripts/bun.sh");
    const lastManifestCopy = final.findLast(
      (i) => i.keyword === "COPY" && /\bpackage\.json\b|\bbun\.lock\b/.test(i.args),
    )!;
    const touch = final.find((i) => i.keyword === "RUN" && /\btouch node_modules\b/.test(i.args));
    expect(touch).toBeDefined();
    expect(touch!.line).toBeGreaterThan(lastManifestCopy.line);
  });

  test("runs as a non-root, numeric user (Kubernetes' runAsNonRoot can verify it)", () => {
    const users = final.filter((i) => i.keyword === "USER");
    expect(users.length).toBeGreaterThan(0);
    const user = users.at(-1)!.args;
    expect(user).toMatch(/^\d+(:\d+)?$/);
    expect(user.split(":")[0]).not.toBe("0");
    // Nothing after USER needs root.
    const after = final.filter((i) => i.line > users.at(-1)!.line);
    expect(after.some((i) => i.keyword === "RUN")).toBe(false);
  });

  test("HEALTHCHECK asks /health of the process", () => {
    const health = final.filter((i) => i.keyword === "HEALTHCHECK");
    expect(health).toHaveLength(1);
    expect(health[0]!.args).toMatch(/--interval=\d+s/);
    const script = filesRunBy(execForm(health[0]!.args.replace(/^.*?\bCMD\s+/, ""))!)[0]!;
    expect(read(script)).toContain("/health");
  });

  test("exposes the API port and the worker's metrics port as configured by default", () => {
    const exposed = of("EXPOSE").flatMap((i) => i.args.split(/\s+/));
    expect(exposed).toEqual(expect.arrayContaining(["3000", "9091"]));
  });

  describe("hadolint rules", () => {
    test("DL3006/DL3007: images are tagged, never `latest`", () => {
      const stageNames = of("FROM").map((i) => i.args.split(/\s+/)[2]);
      for (const from of of("FROM")) {
        const image = from.args.split(/\s+/)[0]!;
        if (stageNames.includes(image)) continue;
        expect(image).toMatch(/:[\w.-]+$|@sha256:[0-9a-f]{64}$/);
        expect(image).not.toMatch(/:latest$/);
      }
    });

    test("DL3000: WORKDIR is absolute; DL3003: no `cd` in RUN (use WORKDIR)", () => {
      for (const workdir of of("WORKDIR")) expect(workdir.args).toMatch(/^\//);
      for (const run of of("RUN")) expect(run.args).not.toMatch(/(^|&&|;)\s*cd\s/);
    });

    test("DL3020: COPY rather than ADD; DL4000: no MAINTAINER", () => {
      expect(of("ADD")).toHaveLength(0);
      expect(of("MAINTAINER")).toHaveLength(0);
    });

    test("DL3025: CMD and ENTRYPOINT in JSON form (signals reach the process)", () => {
      for (const i of [...of("CMD"), ...of("ENTRYPOINT")]) {
        expect(execForm(i.args)).toBeInstanceOf(Array);
      }
    });

    test("DL4003/DL4004: one CMD, ENTRYPOINT and HEALTHCHECK per stage", () => {
      for (let stage = 0; stage <= lastStage; stage++) {
        for (const keyword of ["CMD", "ENTRYPOINT", "HEALTHCHECK"]) {
          const count = instructions.filter((i) => i.stage === stage && i.keyword === keyword);
          expect(count.length).toBeLessThanOrEqual(1);
        }
      }
    });

    test("DL3008/DL3009/DL3015: apt-get installs, if any, are lean and clean up", () => {
      for (const run of of("RUN").filter((i) => /apt-get install/.test(i.args))) {
        expect(run.args).toContain("--no-install-recommends");
        expect(run.args).toContain("rm -rf /var/lib/apt/lists");
      }
    });

    test("DL3002: the last USER is not root; instructions are upper case", () => {
      expect(final.findLast((i) => i.keyword === "USER")?.args).not.toMatch(/^(root|0)(:|$)/);
      for (const line of read("Dockerfile").split("\n")) {
        const word = /^([A-Za-z]+)\s/.exec(line)?.[1];
        if (word && !line.startsWith("#")) expect(word).toBe(word.toUpperCase());
      }
    });
  });

  test(".dockerignore keeps local state and secrets out of the context", () => {
    for (const path of ["node_modules", ".tools", "data", ".env", ".git", "helm"]) {
      expectAbout({ path }, "ignored", ignoredByDockerignore(path), true);
    }
    // A directory COPY names is sent whole: nothing under it is ignored by accident.
    for (const { source } of copiedSources()) {
      if (!statSync(join(root, source)).isDirectory()) continue;
      expect(ignoredByDockerignore(`${source}/x.ts`)).toBe(false);
    }
  });
});
