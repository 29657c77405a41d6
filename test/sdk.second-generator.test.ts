import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Proof that the document, not our choice of generator, is sound: a second, independent
// generator (@hey-api/openapi-ts, pinned in sdk/package.json) makes a fetch client from the
// committed openapi.json, and the project's TypeScript compiler accepts it under strict
// settings, together with a few calls whose types must come out of the document.

const root = new URL("..", import.meta.url).pathname;
const generator = join(root, "sdk/node_modules/@hey-api/openapi-ts/bin/run.js");
const tsc = join(root, "node_modules/typescript/bin/tsc");
const workDir = mkdtempSync(join(tmpdir(), "inv-hey-api-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

async function run(command: string[], cwd: string) {
  const child = Bun.spawn(command, { cwd, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { code, output: `${stdout}\n${stderr}` };
}

const USAGE = `import { createClient } from "./client/client/index";
import { createBox, createPart, getPart, searchParts } from "./client/index";
import type { Part, Problem } from "./client/types.gen";

const client = createClient({ baseUrl: "http://127.0.0.1:3000" });

export async function day(): Promise<Part | Problem | undefined> {
  const box = await createBox({ client, body: { capacity: 20 } });
  const boxNo: number | undefined = box.data?.boxNo;
  const made = await createPart({
    client,
    body: { description: "Resistor 10k", initialStock: [{ boxNo: boxNo ?? 1, locNo: 1, qty: 5 }] },
  });
  const hits = await searchParts({ client, query: { q: "10k" } });
  const score: number | undefined = hits.data?.items[0]?.score;
  void score;
  const title: string | null | undefined = made.data?.locations[0]?.code;
  void title;
  // @ts-expect-error: a part needs a description (the document says so)
  await createPart({ client, body: { manufacturerCode: "X" } });
  // @ts-expect-error: the path parameter is required
  await getPart({ client, path: {} });
  const found = await getPart({ client, path: { partId: "ABCD" } });
  return found.data ?? found.error;
}
`;

const TSCONFIG = {
  compilerOptions: {
    lib: ["ESNext", "DOM", "DOM.Iterable"],
    target: "ES2022",
    module: "Preserve",
    moduleResolution: "bundler",
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  },
  include: ["client", "usage.ts"],
};

describe("a second generator (@hey-api/openapi-ts)", () => {
  test("makes a client from openapi.json that compiles under strict TypeScript", async () => {
    const out = join(workDir, "client");
    const generated = await run(
      [
        process.execPath,
        generator,
        "-i",
        join(root, "openapi/openapi.json"),
        "-o",
        out,
        "-c",
        "@hey-api/client-fetch",
      ],
      workDir,
    );
    expect(generated.code, generated.output).toBe(0);
    const types = await Bun.file(join(out, "types.gen.ts")).text();
    expect(types).toContain("export type Part = {");

    await Bun.write(join(workDir, "usage.ts"), USAGE);
    await Bun.write(join(workDir, "tsconfig.json"), JSON.stringify(TSCONFIG, null, 2));
    const compiled = await run([process.execPath, tsc, "--noEmit", "-p", workDir], workDir);
    expect(compiled.output.trim()).toBe("");
    expect(compiled.code).toBe(0);
  }, 120_000);
});
