/** A Dockerfile instruction: continuation lines joined, comments dropped. */
export interface Instruction {
  line: number;
  keyword: string;
  args: string;
  stage: number;
}

/** Instructions with continuation lines joined and comments dropped. */
export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending = "";
  let startLine = 0;
  let stage = -1;
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (!pending && (line === "" || line.startsWith("#"))) return;
    if (pending && line.startsWith("#")) return;
    if (!pending) startLine = index + 1;
    pending += `${line.replace(/\\$/, "").trim()} `;
    if (line.endsWith("\\")) return;
    const [keyword = "", ...rest] = pending.trim().split(/\s+/);
    const upper = keyword.toUpperCase();
    if (upper === "FROM") stage++;
    out.push({ line: startLine, keyword: upper, args: rest.join(" "), stage });
    pending = "";
  });
  return out;
}

/** The build-context paths the last stage COPYs (not those taken from another stage). */
export function copiedIntoFinalStage(instructions: Instruction[]): string[] {
  const last = Math.max(...instructions.map((i) => i.stage));
  return instructions
    .filter((i) => i.stage === last && i.keyword === "COPY" && !/--from=/.test(i.args))
    .flatMap((i) =>
      i.args
        .split(/\s+/)
        .filter((part) => !part.startsWith("--"))
        .slice(0, -1),
    );
}
