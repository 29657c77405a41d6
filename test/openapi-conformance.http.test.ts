import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createApp } from "../src/app";
import { enqueueJob } from "../src/modules/jobs/jobs.repo";
import { createTestApp, type TestApp } from "./support/app";
import { makePdf, makePng, thumbnailJobOf } from "./support/documents";
import { waitForJob } from "./support/jobs";
import { createConformanceChecker, type ObservedResponse } from "./support/openapi-conformance";
import { createTestKinds } from "./support/test-jobs";

// A walk through the whole API (happy paths and the documented refusals). Every response
// it gets is checked against the committed openapi/openapi.json: the status is documented
// for the route, the content type is declared, and the body matches the declared schema
// with no undeclared fields.

const document = await Bun.file(new URL("../openapi/openapi.json", import.meta.url)).json();
const checker = createConformanceChecker(document);

const testKinds = createTestKinds();
let t: TestApp;
const observed: ObservedResponse[] = [];
/** Creations answered without a `Location` header (API.md: every 201 carries one). */
const unlocated: string[] = [];
/** Creations whose `Location` does not answer 200 with the resource the 201 returned. */
const unresolved: string[] = [];

/** Follows a 201's `Location`: a GET there must answer the resource just created. */
async function followLocation(label: string, headers: Headers, created: unknown) {
  const location = headers.get("Location");
  if (!location) {
    unlocated.push(label);
    return;
  }
  const res = await t.request("GET", location);
  if (res.status !== 200 || !Bun.deepEquals(res.body, created)) {
    unresolved.push(`${label} → ${location}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

beforeAll(async () => {
  t = await createTestApp({ jobs: { kinds: testKinds.kinds } });
}, 120_000);
afterAll(() => t.close());

async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) {
  const res = await t.request<T>(method, path, body, headers);
  if (res.status === 201) await followLocation(`${method} ${path}`, res.headers, res.body);
  observed.push({
    method,
    path,
    status: res.status,
    contentType: res.headers.get("Content-Type"),
    body: res.body,
  });
  return res;
}

/** Calls and expects `status`, so the walk really reaches the state it means to. */
async function expectCall<T = Record<string, unknown>>(
  status: number,
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) {
  const res = await call<T>(method, path, body, headers);
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
  return res.body;
}

/** Every operation this walk must reach; others (added by other features) are reported. */
const WALKED = [
  "getHealth",
  "getReadiness",
  "listTypes",
  "createType",
  "getType",
  "updateType",
  "deleteType",
  "listBoxes",
  "createBox",
  "getBox",
  "updateBox",
  "deleteBox",
  "getLocation",
  "suggestPartLocations",
  "suggestLocations",
  "listParts",
  "createPart",
  "getPart",
  "updatePart",
  "deletePart",
  "addStock",
  "removeStock",
  "moveStock",
  "getPartHistory",
  "getPartLabel",
  "listShoppingItems",
  "createShoppingItem",
  "getShoppingItem",
  "updateShoppingItem",
  "deleteShoppingItem",
  "receiveShoppingItem",
  "listProjects",
  "createProject",
  "getProject",
  "updateProject",
  "deleteProject",
  "createRequirement",
  "getRequirement",
  "updateRequirement",
  "deleteRequirement",
  "addShortagesToShoppingList",
  "buildProject",
  "createDocument",
  "listPartDocuments",
  "getDocument",
  "getDocumentContent",
  "getDocumentThumbnail",
  "deleteDocument",
  "setPartCover",
  "searchParts",
  "listJobs",
  "getJob",
  "streamJobEvents",
];

/** A multipart upload, recorded like every other call. */
async function uploadCall(status: number, partId: string, bytes: Uint8Array, filename: string) {
  const form = new FormData();
  form.append("file", new Blob([bytes]), filename);
  const path = `/api/v1/parts/${partId}/documents`;
  const res = await t.fetch(path, { method: "POST", body: form });
  const body = (await res.json()) as { id: string };
  if (res.status === 201) await followLocation(`POST ${path}`, res.headers, body);
  observed.push({
    method: "POST",
    path,
    status: res.status,
    contentType: res.headers.get("Content-Type"),
    body,
  });
  expect(res.status, `POST ${path}: ${JSON.stringify(body)}`).toBe(status);
  return body;
}

async function walkDocuments(partId: string) {
  const pdf = await uploadCall(201, partId, makePdf(), "datasheet.pdf");
  const png = await uploadCall(201, partId, await makePng(), "photo.png");
  await uploadCall(415, partId, new TextEncoder().encode("plain text"), "fake.pdf");
  await uploadCall(404, "ZZZZ", makePdf(), "x.pdf");
  const docs = `/api/v1/parts/${partId}/documents`;
  const link = await expectCall<{ id: string }>(201, "POST", docs, {
    kind: "link",
    url: "https://example.com/datasheet.pdf",
    title: "Vendor",
  });
  await expectCall(400, "POST", docs, { kind: "link", url: "ftp://example.com" });
  await expectCall(415, "POST", docs, "x", { "Content-Type": "text/plain" });
  await expectCall(200, "GET", docs);
  await expectCall(404, "GET", "/api/v1/parts/ZZZZ/documents");
  await expectCall(200, "GET", `/api/v1/documents/${pdf.id}`);
  await expectCall(400, "GET", "/api/v1/documents/not-a-uuid");
  const content = `/api/v1/documents/${pdf.id}/content`;
  await expectCall(200, "GET", content);
  await expectCall(200, "GET", `/api/v1/documents/${png.id}/content`);
  await expectCall(206, "GET", content, undefined, { Range: "bytes=0-9" });
  await expectCall(304, "GET", content, undefined, { "If-None-Match": `"${pdf.id}"` });
  await expectCall(416, "GET", content, undefined, { Range: "bytes=99999999-" });
  await expectCall(404, "GET", `/api/v1/documents/${link.id}/content`);
  await expectCall(404, "GET", `/api/v1/documents/${pdf.id}/thumbnail?size=sm`);
  await expectCall(400, "GET", `/api/v1/documents/${png.id}/thumbnail?size=xl`);
  expect((await thumbnailJobOf(t, png.id)).status).toBe("succeeded");
  const thumbnail = `/api/v1/documents/${png.id}/thumbnail?size=md`;
  const made = await t.fetch(thumbnail);
  observed.push({
    method: "GET",
    path: thumbnail,
    status: made.status,
    contentType: made.headers.get("Content-Type"),
    body: null,
  });
  expect(made.status).toBe(200);
  await expectCall(304, "GET", thumbnail, undefined, {
    "If-None-Match": made.headers.get("ETag")!,
  });
  const cover = `/api/v1/parts/${partId}/cover`;
  await expectCall(200, "PUT", cover, { documentId: png.id });
  await expectCall(400, "PUT", cover, { documentId: pdf.id });
  await expectCall(404, "PUT", "/api/v1/parts/ZZZZ/cover", { documentId: png.id });
  await expectCall(204, "DELETE", `/api/v1/documents/${link.id}`);
  await expectCall(404, "DELETE", `/api/v1/documents/${link.id}`);
}

async function walkJobs() {
  const job = await enqueueJob(t.deps.db, testKinds.echo, { value: "conformance" });
  await waitForJob(t, job.id);
  const path = `/api/v1/jobs/${job.id}`;
  await expectCall(200, "GET", path);
  await expectCall(200, "GET", `${path}/events`);
  await expectCall(200, "GET", "/api/v1/jobs?status=succeeded&kind=test.echo&limit=1");
  await expectCall(400, "GET", "/api/v1/jobs?status=done");
  await expectCall(400, "GET", "/api/v1/jobs/not-a-uuid");
  const unknown = `/api/v1/jobs/${crypto.randomUUID()}`;
  await expectCall(404, "GET", unknown);
  await expectCall(404, "GET", `${unknown}/events`);
}

async function walkSearch(partId: string) {
  const hits = await expectCall<{ items: { id: string }[] }>(
    200,
    "GET",
    `/api/v1/search?q=${partId}&limit=5`,
  );
  expect(hits.items[0]?.id).toBe(partId);
  await expectCall(200, "GET", "/api/v1/search?q=resistr");
  await expectCall(400, "GET", "/api/v1/search?q=");
  await expectCall(400, "GET", "/api/v1/search?q=x&limit=101");
}

async function walkTypesAndBoxes() {
  await expectCall(200, "GET", "/health");
  await expectCall(200, "GET", "/ready");
  await expectCall(200, "GET", "/api/v1/types");
  const type = await expectCall<{ id: number }>(201, "POST", "/api/v1/types", { name: "Crystal" });
  await expectCall(409, "POST", "/api/v1/types", { name: "crystal" });
  await expectCall(400, "POST", "/api/v1/types", { name: "" });
  await expectCall(200, "GET", `/api/v1/types/${type.id}`);
  await expectCall(400, "GET", "/api/v1/types/abc");
  await expectCall(404, "GET", "/api/v1/types/999999");
  await expectCall(200, "PATCH", `/api/v1/types/${type.id}`, { name: "Crystals" });
  await expectCall(409, "PATCH", `/api/v1/types/${type.id}`, { name: "Relay" });
  await expectCall(404, "PATCH", "/api/v1/types/999999", { name: "X" });
  const text = { "Content-Type": "text/plain" };
  await expectCall(415, "POST", "/api/v1/types", "name=X", text);
  await expectCall(415, "PATCH", `/api/v1/types/${type.id}`, "name=X", text);
  await expectCall(400, "POST", "/api/v1/types", "{ not json");
  await expectCall(413, "POST", "/api/v1/types", JSON.stringify({ name: "x".repeat(1 << 21) }));

  const box = await expectCall<{ boxNo: number }>(201, "POST", "/api/v1/boxes", {
    description: "Crystals",
    capacity: 6,
    designatedTypeId: type.id,
  });
  await expectCall(400, "POST", "/api/v1/boxes", { capacity: 0 });
  await expectCall(200, "GET", "/api/v1/boxes");
  await expectCall(200, "GET", `/api/v1/boxes/${box.boxNo}`);
  await expectCall(404, "GET", "/api/v1/boxes/999999");
  await expectCall(200, "PATCH", `/api/v1/boxes/${box.boxNo}`, { capacity: 8 });
  const spare = await expectCall<{ boxNo: number }>(201, "POST", "/api/v1/boxes", {
    capacity: 2,
  });
  await expectCall(204, "DELETE", `/api/v1/boxes/${spare.boxNo}`);
  await expectCall(404, "DELETE", `/api/v1/boxes/${spare.boxNo}`);
  return { typeId: type.id, boxNo: box.boxNo };
}

async function walkParts(typeId: number, boxNo: number) {
  const part = await expectCall<{ id: string }>(201, "POST", "/api/v1/parts", {
    description: "Crystal 16 MHz HC-49",
    manufacturerCode: "ABLS-16",
    typeId,
    tags: ["16MHz", "THT"],
    seller: "LCSC",
    sellerLink: "https://www.lcsc.com/product-detail/C2905.html",
    initialStock: [{ boxNo, locNo: 1, qty: 20 }],
  });
  await expectCall(400, "POST", "/api/v1/parts", { description: "" });
  await expectCall(404, "POST", "/api/v1/parts", {
    description: "Nowhere",
    initialStock: [{ boxNo, locNo: 99, qty: 1 }],
  });
  await expectCall(409, "POST", "/api/v1/parts", {
    description: "Occupied",
    initialStock: [{ boxNo, locNo: 1, qty: 1 }],
  });
  const empty = await expectCall<{ id: string }>(201, "POST", "/api/v1/parts", {
    description: "No stock",
  });
  const page = await expectCall<{ nextCursor: string }>(200, "GET", "/api/v1/parts?limit=1");
  await expectCall(200, "GET", `/api/v1/parts?limit=1&cursor=${page.nextCursor}`);
  await expectCall(200, "GET", `/api/v1/parts?typeId=${typeId}&tag=thT&inStock=true`);
  await expectCall(200, "GET", "/api/v1/parts?sort=-createdAt");
  await expectCall(400, "GET", "/api/v1/parts?cursor=nonsense");
  await expectCall(200, "GET", `/api/v1/parts/${part.id.toLowerCase()}`);
  await expectCall(400, "GET", "/api/v1/parts/AB1");
  await expectCall(404, "GET", "/api/v1/parts/QQQQ");
  await expectCall(200, "PATCH", `/api/v1/parts/${part.id}`, { pinCount: 2, package: null });
  await expectCall(400, "PATCH", `/api/v1/parts/${part.id}`, { sellerLink: "ftp://x" });
  await expectCall(404, "PATCH", "/api/v1/parts/QQQQ", { description: "x" });
  await expectCall(409, "DELETE", `/api/v1/parts/${part.id}`);
  await expectCall(204, "DELETE", `/api/v1/parts/${empty.id}`);
  await expectCall(404, "DELETE", `/api/v1/parts/${empty.id}`);
  await expectCall(409, "DELETE", `/api/v1/types/${typeId}`);

  await expectCall(200, "GET", `/api/v1/locations/${boxNo}-1`);
  await expectCall(200, "GET", `/api/v1/locations/${boxNo}-2`);
  await expectCall(400, "GET", "/api/v1/locations/seven");
  await expectCall(404, "GET", "/api/v1/locations/999999-1");
  await expectCall(200, "GET", `/api/v1/parts/${part.id}/location-suggestions?count=3`);
  await expectCall(404, "GET", "/api/v1/parts/QQQQ/location-suggestions");
  await expectCall(200, "GET", `/api/v1/location-suggestions?typeId=${typeId}&count=2`);
  await expectCall(200, "GET", "/api/v1/location-suggestions");
  await expectCall(400, "GET", "/api/v1/location-suggestions?typeId=999999");

  await expectCall(200, "GET", `/api/v1/parts/${part.id}/label`);
  await expectCall(200, "GET", `/api/v1/parts/${part.id}/label?format=png&barcode=true`);
  await expectCall(400, "GET", `/api/v1/parts/${part.id}/label?format=gif`);
  await expectCall(404, "GET", "/api/v1/parts/QQQQ/label");
  return part.id;
}

async function walkStock(partId: string, boxNo: number) {
  const stock = (op: string) => `/api/v1/parts/${partId}/stock/${op}`;
  const retry = { "Idempotency-Key": "conformance-add-1" };
  await expectCall(200, "POST", stock("add"), { boxNo, locNo: 1, qty: 5 }, retry);
  await expectCall(200, "POST", stock("add"), { boxNo, locNo: 1, qty: 5 }, retry);
  await expectCall(409, "POST", stock("add"), { boxNo, locNo: 1, qty: 6 }, retry);
  await expectCall(400, "POST", stock("add"), { boxNo, locNo: 1, qty: 0 });
  await expectCall(404, "POST", stock("add"), { boxNo, locNo: 99, qty: 1 });
  await expectCall(404, "POST", "/api/v1/parts/QQQQ/stock/add", { boxNo, locNo: 1, qty: 1 });
  await expectCall(200, "POST", stock("move"), {
    from: { boxNo, locNo: 1 },
    to: [
      { boxNo, locNo: 2, qty: 3 },
      { boxNo, locNo: 3, qty: 2 },
    ],
  });
  await expectCall(400, "POST", stock("move"), {
    from: { boxNo, locNo: 1 },
    to: [{ boxNo, locNo: 1, qty: 1 }],
  });
  await expectCall(200, "POST", stock("remove"), { removals: [{ boxNo, locNo: 3, qty: 2 }] });
  await expectCall(409, "POST", stock("remove"), { removals: [{ boxNo, locNo: 2, qty: 99 }] });
  const history = await expectCall<{ nextCursor: string }>(
    200,
    "GET",
    `/api/v1/parts/${partId}/history?limit=2`,
  );
  await expectCall(200, "GET", `/api/v1/parts/${partId}/history?cursor=${history.nextCursor}`);
  await expectCall(404, "GET", "/api/v1/parts/QQQQ/history");
  await expectCall(409, "PATCH", `/api/v1/boxes/${boxNo}`, { capacity: 1 });
  await expectCall(409, "DELETE", `/api/v1/boxes/${boxNo}`);
}

async function walkShopping(partId: string, boxNo: number) {
  const forPart = await expectCall<{ id: number }>(201, "POST", "/api/v1/shopping-list", {
    partId,
    desiredQty: 10,
  });
  const newThing = await expectCall<{ id: number }>(201, "POST", "/api/v1/shopping-list", {
    description: "555 timer",
    manufacturerCode: "NE555P",
    sellerLink: "https://www.lcsc.com/product-detail/C46749.html",
    notes: "DIP-8",
  });
  await expectCall(400, "POST", "/api/v1/shopping-list", { desiredQty: 1 });
  const page = await expectCall<{ nextCursor: string }>(
    200,
    "GET",
    "/api/v1/shopping-list?limit=1&status=open",
  );
  await expectCall(200, "GET", `/api/v1/shopping-list?cursor=${page.nextCursor}`);
  await expectCall(200, "GET", `/api/v1/shopping-list/${forPart.id}`);
  await expectCall(404, "GET", "/api/v1/shopping-list/999999");
  await expectCall(200, "PATCH", `/api/v1/shopping-list/${forPart.id}`, { desiredQty: 4 });
  await expectCall(400, "PATCH", `/api/v1/shopping-list/${forPart.id}`, { desiredQty: 0 });
  await expectCall(404, "PATCH", "/api/v1/shopping-list/999999", { notes: "x" });
  await expectCall(200, "POST", `/api/v1/shopping-list/${forPart.id}/receive`, {
    locations: [{ boxNo, locNo: 1, qty: 4 }],
  });
  await expectCall(409, "POST", `/api/v1/shopping-list/${forPart.id}/receive`);
  await expectCall(200, "POST", `/api/v1/shopping-list/${newThing.id}/receive`);
  await expectCall(404, "POST", "/api/v1/shopping-list/999999/receive");
  await expectCall(415, "POST", `/api/v1/shopping-list/${forPart.id}/receive`, "qty=1", {
    "Content-Type": "application/x-www-form-urlencoded",
  });
  await expectCall(400, "POST", `/api/v1/shopping-list/${forPart.id}/receive`, {
    qty: 2,
    locations: [{ boxNo, locNo: 1, qty: 1 }],
  });
  const extra = await expectCall<{ id: number }>(201, "POST", "/api/v1/shopping-list", {
    description: "Spare",
  });
  await expectCall(204, "DELETE", `/api/v1/shopping-list/${extra.id}`);
  await expectCall(404, "DELETE", `/api/v1/shopping-list/${extra.id}`);
}

async function walkProjects(partId: string, boxNo: number) {
  const project = await expectCall<{ id: number }>(201, "POST", "/api/v1/projects", {
    name: "Clock",
    notes: "Crystal oscillator",
  });
  const base = `/api/v1/projects/${project.id}`;
  await expectCall(400, "POST", "/api/v1/projects", { name: "" });
  await expectCall(200, "GET", "/api/v1/projects?limit=1");
  await expectCall(200, "PATCH", base, { notes: "v2" });
  await expectCall(404, "PATCH", "/api/v1/projects/999999", { notes: "x" });
  await expectCall(404, "GET", "/api/v1/projects/999999");
  const required = await expectCall<{ id: number }>(201, "POST", `${base}/requirements`, {
    partId,
    requiredQty: 2,
  });
  await expectCall(409, "POST", `${base}/requirements`, { partId, requiredQty: 1 });
  await expectCall(400, "POST", `${base}/requirements`, { requiredQty: 1 });
  await expectCall(404, "POST", "/api/v1/projects/999999/requirements", {
    partId,
    requiredQty: 1,
  });
  const placeholder = await expectCall<{ id: number }>(201, "POST", `${base}/requirements`, {
    placeholder: { manufacturerCode: "MCP1700", description: "LDO 3.3 V" },
    requiredQty: 1,
  });
  await expectCall(200, "GET", `${base}?kits=3`);
  await expectCall(400, "GET", `${base}?kits=0`);
  await expectCall(200, "POST", `${base}/shortages-to-shopping-list`, { kits: 2 });
  await expectCall(200, "POST", `${base}/shortages-to-shopping-list`);
  await expectCall(404, "POST", "/api/v1/projects/999999/shortages-to-shopping-list");
  await expectCall(409, "POST", `${base}/build`);
  await expectCall(200, "GET", `${base}/requirements/${required.id}?kits=2`);
  await expectCall(404, "GET", `${base}/requirements/999999`);
  await expectCall(200, "PATCH", `${base}/requirements/${required.id}`, { requiredQty: 1 });
  await expectCall(404, "PATCH", `${base}/requirements/999999`, { requiredQty: 1 });
  await expectCall(400, "PATCH", `${base}/requirements/${required.id}`, { requiredQty: 0 });
  await expectCall(204, "DELETE", `${base}/requirements/${placeholder.id}`);
  await expectCall(404, "DELETE", `${base}/requirements/${placeholder.id}`);
  await expectCall(400, "POST", `${base}/build`, {
    picks: [{ partId, boxNo, locNo: 1, qty: 5 }],
  });
  await expectCall(200, "POST", `${base}/build`, { picks: [{ partId, boxNo, locNo: 1, qty: 1 }] });
  await expectCall(200, "POST", `${base}/build`, { kits: 2 });
  await expectCall(409, "POST", `${base}/build`, { kits: 1000 });
  await expectCall(404, "POST", "/api/v1/projects/999999/build");
  await expectCall(415, "POST", `${base}/build`, "kits=1", { "Content-Type": "text/plain" });
  await expectCall(415, "POST", `/api/v1/parts/${partId}/stock/add`, "qty=1", {
    "Content-Type": "text/plain",
  });
  await expectCall(409, "DELETE", `/api/v1/parts/${partId}`);
  await expectCall(204, "DELETE", base);
  await expectCall(404, "DELETE", base);
}

describe("OpenAPI conformance", () => {
  test("every response of a walk through the API matches the committed document", async () => {
    await walkJobs();
    const { typeId, boxNo } = await walkTypesAndBoxes();
    const partId = await walkParts(typeId, boxNo);
    await walkSearch(partId);
    await walkStock(partId, boxNo);
    await walkShopping(partId, boxNo);
    await walkProjects(partId, boxNo);
    await walkDocuments(
      (
        await expectCall<{ id: string }>(201, "POST", "/api/v1/parts", {
          description: "Documented",
        })
      ).id,
    );
    // With API_TOKEN set, the same routes answer 401 without it.
    const guarded = createApp({ ...t.deps, env: { ...t.deps.env, API_TOKEN: "t".repeat(32) } });
    for (const path of ["/api/v1/parts", "/api/v1/types", "/api/v1/boxes/1"]) {
      const res = await guarded.request(path);
      observed.push({
        method: "GET",
        path,
        status: res.status,
        contentType: res.headers.get("Content-Type"),
        body: await res.json(),
      });
      expect(res.status).toBe(401);
    }

    const results = observed.map((res) => checker.check(res));
    expect(results.flatMap((result) => result.problems)).toEqual([]);
    expect(unlocated).toEqual([]);
    expect(unresolved).toEqual([]);
    const reached = new Set(results.map((result) => result.operationId));
    expect(WALKED.filter((operationId) => !reached.has(operationId))).toEqual([]);
    const paths = document.paths as Record<string, Record<string, { operationId: string }>>;
    const operations = Object.values(paths).flatMap((path) =>
      Object.values(path).map((operation) => operation.operationId),
    );
    const unwalked = operations.filter((operationId) => !reached.has(operationId));
    if (unwalked.length > 0) console.log(`conformance walk does not reach: ${unwalked.join(", ")}`);
    expect(observed.length).toBeGreaterThan(100);
  });

  test("the checker itself refuses undocumented statuses, fields and shapes", () => {
    const problems = (res: Partial<ObservedResponse>) =>
      checker.check({
        method: "GET",
        path: "/api/v1/types/1",
        status: 200,
        contentType: "application/json",
        body: { id: 1, name: "Relay", partCount: 0 },
        ...res,
      }).problems;
    expect(problems({})).toEqual([]);
    expect(problems({ status: 418 })[0]).toContain("status not documented");
    expect(problems({ body: { id: 1, name: "Relay", partCount: 0, extra: 1 } })[0]).toContain(
      "does not match",
    );
    expect(problems({ body: { id: "1", name: "Relay", partCount: 0 } })[0]).toContain(
      "does not match",
    );
    expect(problems({ contentType: "text/plain" })[0]).toContain("content type");
    expect(problems({ path: "/api/v1/nowhere" })[0]).toContain("no documented operation");
    expect(
      problems({ path: "/api/v1/boxes/1", body: { boxNo: 1, locations: [], extra: true } })[0],
    ).toContain("does not match");
  });
});
