// Validates rendered Kubernetes manifests offline against the Kubernetes schemas
// (kubernetes-models): `bun scripts/validate-k8s.ts rendered.yaml [--expect "Kind=n ..."]`
// or the YAML on stdin. Fails on an unknown kind, an invalid object, or kind counts that
// differ from --expect, and on a pre-install hook that needs an object the chart itself
// creates (hooks run before those exist).

interface K8sObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; annotations?: Record<string, string> };
  spec?: unknown;
}

type Validating = new (data: unknown) => { validate(): void };

/** The model class for an apiVersion and kind, or undefined when kubernetes-models has none. */
async function modelFor(apiVersion: string, kind: string): Promise<Validating | undefined> {
  if (!/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) {
    return undefined;
  }
  try {
    const module = (await import(`kubernetes-models/${apiVersion}/${kind}`)) as Record<
      string,
      unknown
    >;
    return module[kind] as Validating | undefined;
  } catch {
    return undefined;
  }
}

function documents(text: string): K8sObject[] {
  return text
    .split(/^---\s*$/m)
    .map((chunk) => Bun.YAML.parse(chunk) as K8sObject | null)
    .filter((doc): doc is K8sObject => doc !== null && typeof doc === "object");
}

/** ConfigMaps, Secrets and ServiceAccounts a pod template refers to, as "Kind/name". */
function referencesOf(object: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    const record = node as Record<string, unknown>;
    for (const [key, value] of Object.entries(record)) {
      const name = (value as { name?: unknown } | null)?.name;
      if ((key === "configMapRef" || key === "configMapKeyRef" || key === "configMap") && name) {
        found.push(`ConfigMap/${name}`);
      }
      if ((key === "secretRef" || key === "secretKeyRef") && name) found.push(`Secret/${name}`);
      if (key === "secret" && (value as { secretName?: unknown })?.secretName) {
        found.push(`Secret/${(value as { secretName: string }).secretName}`);
      }
      if (key === "serviceAccountName" && typeof value === "string") {
        found.push(`ServiceAccount/${value}`);
      }
      walk(value);
    }
  };
  walk(object);
  return found;
}

export async function validateManifests(text: string) {
  const problems: string[] = [];
  const kinds = new Map<string, number>();
  const objects = documents(text);
  for (const object of objects) {
    const name = `${object.kind ?? "?"}/${object.metadata?.name ?? "?"}`;
    if (!object.apiVersion || !object.kind) {
      problems.push(`${name}: no apiVersion or kind`);
      continue;
    }
    const Model = await modelFor(object.apiVersion, object.kind);
    if (!Model) {
      problems.push(`${name}: unknown kind ${object.apiVersion} ${object.kind}`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      problems.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    kinds.set(object.kind, (kinds.get(object.kind) ?? 0) + 1);
  }
  const isInstallHook = (object: K8sObject) =>
    /\bpre-install\b/.test(object.metadata?.annotations?.["helm.sh/hook"] ?? "");
  const created = new Set(
    objects.filter((o) => !isInstallHook(o)).map((o) => `${o.kind}/${o.metadata?.name}`),
  );
  for (const hook of objects.filter(isInstallHook)) {
    for (const reference of referencesOf(hook.spec)) {
      if (created.has(reference)) {
        problems.push(
          `${hook.kind}/${hook.metadata?.name}: a pre-install hook needs ${reference}, which the chart creates only after its hooks ran`,
        );
      }
    }
  }
  return { objects: objects.length, kinds, problems };
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const expectAt = args.indexOf("--expect");
  const expected = expectAt >= 0 ? args.splice(expectAt, 2)[1]! : undefined;
  const text = args[0] ? await Bun.file(args[0]).text() : await new Response(Bun.stdin).text();
  const { objects, kinds, problems } = await validateManifests(text);
  if (expected !== undefined) {
    const want = new Map(
      expected
        .split(/\s+/)
        .filter(Boolean)
        .map((pair) => [pair.split("=")[0]!, Number(pair.split("=")[1])] as const),
    );
    for (const kind of new Set([...want.keys(), ...kinds.keys()])) {
      if ((want.get(kind) ?? 0) !== (kinds.get(kind) ?? 0)) {
        problems.push(`expected ${want.get(kind) ?? 0} ${kind}, rendered ${kinds.get(kind) ?? 0}`);
      }
    }
  }
  if (objects === 0) problems.push("no objects rendered");
  for (const problem of problems) console.error(`invalid: ${problem}`);
  const summary = [...kinds].map(([kind, n]) => `${kind}=${n}`).join(" ");
  console.log(`${objects} objects (${summary}): ${problems.length === 0 ? "valid" : "INVALID"}`);
  process.exit(problems.length === 0 ? 0 : 1);
}
