import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { count } from "drizzle-orm";
import { DocumentListSchema, DocumentSchema } from "../src/modules/documents/documents.schemas";
import { documentsTable } from "../src/modules/documents/documents.table";
import { PartSchema } from "../src/modules/parts/parts.schemas";
import { createTestApp, type ProblemBody, type TestApp } from "./support/app";
import {
  download,
  makePdf,
  makePng,
  rawMultipart,
  storedKeys,
  upload,
  uploadOk,
} from "./support/documents";
import { newPart } from "./support/inventory";
import { openUnreachableStorage } from "./support/storage";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 120_000);
afterAll(() => t.close());

async function documentRows(app: TestApp) {
  const [row] = await app.deps.db.select({ n: count() }).from(documentsTable);
  return row!.n;
}

async function problemOf(res: Response) {
  expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  return (await res.json()) as ProblemBody;
}

describe("upload and read back", () => {
  test("a PDF round-trips byte for byte with its download headers", async () => {
    const part = await newPart(t);
    const pdf = makePdf(50_000);
    const res = await upload(t, part.id, pdf, {
      filename: "G5Q datasheet.pdf",
      title: " Datasheet ",
    });
    expect(res.status).toBe(201);
    const doc = DocumentSchema.parse(await res.json());
    expect(res.headers.get("Location")).toBe(`/api/v1/documents/${doc.id}`);
    expect(doc).toMatchObject({
      partId: part.id,
      kind: "pdf",
      title: "Datasheet",
      originalFilename: "G5Q datasheet.pdf",
      contentType: "application/pdf",
      sizeBytes: pdf.length,
      sourceUrl: null,
      contentUrl: `/api/v1/documents/${doc.id}/content`,
      url: `/api/v1/documents/${doc.id}/content`,
      thumbnailUrl: null,
    });
    expect(await storedKeys(t, "docs")).toContain(`${doc.id}.pdf`);

    const { res: content, bytes } = await download(t, doc.contentUrl!);
    expect(content.status).toBe(200);
    expect(bytes.equals(pdf)).toBe(true);
    expect(content.headers.get("Content-Type")).toBe("application/pdf");
    expect(content.headers.get("Content-Length")).toBe(String(pdf.length));
    expect(content.headers.get("Accept-Ranges")).toBe("bytes");
    expect(content.headers.get("ETag")).toBe(`"${doc.id}"`);
    expect(new Date(content.headers.get("Last-Modified")!).getTime()).toBeGreaterThan(0);
    expect(content.headers.get("Content-Disposition")).toBe(
      `inline; filename="G5Q datasheet.pdf"; filename*=UTF-8''G5Q%20datasheet.pdf`,
    );

    const read = await t.request("GET", `/api/v1/documents/${doc.id}`);
    expect(DocumentSchema.parse(read.body)).toEqual(doc);
    const list = await t.request("GET", `/api/v1/parts/${part.id.toLowerCase()}/documents`);
    expect(DocumentListSchema.parse(list.body).items).toEqual([doc]);
    // A PDF is no cover.
    expect(
      PartSchema.parse((await t.request("GET", `/api/v1/parts/${part.id}`)).body).coverDocumentId,
    ).toBeNull();
  });

  test("a PNG claimed to be a PDF is stored as the image it is and becomes the cover", async () => {
    const part = await newPart(t);
    const png = await makePng();
    const doc = await uploadOk(t, part.id, png, { filename: "photo.pdf", type: "application/pdf" });
    expect(doc).toMatchObject({ kind: "image", contentType: "image/png", sizeBytes: png.length });
    expect(await storedKeys(t, "images")).toContain(`${doc.id}.png`);
    const { res, bytes } = await download(t, doc.contentUrl!);
    expect(res.headers.get("Content-Type")).toBe("image/png");
    expect(bytes.equals(png)).toBe(true);
    const read = PartSchema.parse((await t.request("GET", `/api/v1/parts/${part.id}`)).body);
    expect(read).toMatchObject({ coverDocumentId: doc.id });
  });

  test("JPEG, WebP and GIF are recognised by their first bytes", async () => {
    const part = await newPart(t);
    const sharp = (await import("sharp")).default;
    const base = sharp({ create: { width: 8, height: 8, channels: 3, background: "#c33" } });
    const cases = [
      [await base.clone().jpeg().toBuffer(), "image/jpeg"],
      [await base.clone().webp().toBuffer(), "image/webp"],
      [await base.clone().gif().toBuffer(), "image/gif"],
    ] as const;
    for (const [bytes, type] of cases) {
      const doc = await uploadOk(t, part.id, bytes, { filename: "x" });
      expect(doc.contentType).toBe(type);
    }
  });

  test("the title may come after the file; the name keeps non-ASCII characters", async () => {
    const part = await newPart(t);
    const form = new FormData();
    form.append("file", new Blob([makePdf()]), "Datenblatt-Relais-ä€.pdf");
    form.append("title", "Nachher");
    const res = await t.app.request(`/api/v1/parts/${part.id}/documents`, {
      method: "POST",
      body: form,
    });
    const doc = DocumentSchema.parse(await res.json());
    expect(doc).toMatchObject({ title: "Nachher", originalFilename: "Datenblatt-Relais-ä€.pdf" });
    const { res: content } = await download(t, doc.contentUrl!);
    expect(content.headers.get("Content-Disposition")).toBe(
      `inline; filename="Datenblatt-Relais-a_.pdf"; filename*=UTF-8''Datenblatt-Relais-%C3%A4%E2%82%AC.pdf`,
    );
  });
});

describe("download", () => {
  let doc: { id: string; contentUrl: string | null };
  let pdf: Buffer;
  beforeAll(async () => {
    const part = await newPart(t);
    pdf = makePdf(10_000);
    doc = await uploadOk(t, part.id, pdf, { filename: "range.pdf" });
  });

  test("one Range answers 206 with exactly those bytes", async () => {
    const cases: [string, number, number][] = [
      ["bytes=10-19", 10, 19],
      ["bytes=0-0", 0, 0],
      [`bytes=100-`, 100, pdf.length - 1],
      ["bytes=-7", pdf.length - 7, pdf.length - 1],
      [`bytes=5-${pdf.length + 1000}`, 5, pdf.length - 1],
    ];
    for (const [range, start, end] of cases) {
      const { res, bytes } = await download(t, doc.contentUrl!, { Range: range });
      expect(res.status, range).toBe(206);
      expect(bytes.equals(pdf.subarray(start, end + 1)), range).toBe(true);
      expect(res.headers.get("Content-Range")).toBe(`bytes ${start}-${end}/${pdf.length}`);
      expect(res.headers.get("Content-Length")).toBe(String(end - start + 1));
    }
  });

  test("several ranges, other units and malformed ranges answer the whole file", async () => {
    for (const range of ["bytes=0-1,5-6", "items=0-1", "bytes=abc", "bytes=9-3"]) {
      const { res, bytes } = await download(t, doc.contentUrl!, { Range: range });
      expect(res.status, range).toBe(200);
      expect(bytes.equals(pdf)).toBe(true);
      expect(res.headers.get("Content-Range")).toBeNull();
    }
  });

  test("a range beyond the end is 416 with the size", async () => {
    for (const range of [
      `bytes=${pdf.length}-`,
      `bytes=${pdf.length + 5}-${pdf.length + 9}`,
      "bytes=-0",
    ]) {
      const res = await t.app.request(doc.contentUrl!, { headers: { Range: range } });
      expect(res.status, range).toBe(416);
      expect(res.headers.get("Content-Range")).toBe(`bytes */${pdf.length}`);
      expect((await problemOf(res)).code).toBe("documents.range_not_satisfiable");
    }
  });

  test("If-None-Match with the ETag answers 304 without a body", async () => {
    const first = await t.app.request(doc.contentUrl!);
    const etag = first.headers.get("ETag")!;
    await first.arrayBuffer();
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
      const res = await t.app.request(doc.contentUrl!, { headers: { "If-None-Match": header } });
      expect(res.status, header).toBe(304);
      expect(res.headers.get("ETag")).toBe(etag);
      expect(await res.text()).toBe("");
    }
    const changed = await t.app.request(doc.contentUrl!, { headers: { "If-None-Match": '"x"' } });
    expect(changed.status).toBe(200);
    await changed.arrayBuffer();
  });

  test("HEAD answers the headers of GET without a body", async () => {
    const res = await t.app.request(doc.contentUrl!, { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Length")).toBe(String(pdf.length));
    expect(res.headers.get("Content-Type")).toBe("application/pdf");
    expect(res.headers.get("Accept-Ranges")).toBe("bytes");
    expect(await res.text()).toBe("");
    const ranged = await t.app.request(doc.contentUrl!, {
      method: "HEAD",
      headers: { Range: "bytes=0-99" },
    });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get("Content-Length")).toBe("100");
    expect(ranged.headers.get("Content-Range")).toBe(`bytes 0-99/${pdf.length}`);
  });

  test("a browser on an allowed origin may read the range headers (PDF.js)", async () => {
    const cors = await createTestApp({ env: { CORS_ORIGINS: "http://localhost:5173" } });
    try {
      const part = await newPart(cors);
      const stored = await uploadOk(cors, part.id, makePdf());
      const res = await cors.app.request(stored.contentUrl!, {
        headers: { Origin: "http://localhost:5173", Range: "bytes=0-3" },
      });
      expect(res.status).toBe(206);
      expect(res.headers.get("Access-Control-Allow-Origin")).toBe("http://localhost:5173");
      const exposed = res.headers.get("Access-Control-Expose-Headers")?.split(/,\s*/) ?? [];
      for (const name of ["Accept-Ranges", "Content-Length", "Content-Range", "ETag"]) {
        expect(exposed).toContain(name);
      }
      expect(await res.text()).toBe("%PDF");
    } finally {
      await cors.close();
    }
  });

  test("a row whose object went missing answers 404 naming the problem", async () => {
    const part = await newPart(t);
    const lost = await uploadOk(t, part.id, makePdf());
    await t.deps.storage.delete("docs", `${lost.id}.pdf`);
    for (const method of ["GET", "HEAD"]) {
      const res = await t.app.request(lost.contentUrl!, { method });
      expect(res.status, method).toBe(404);
    }
    const res = await t.request<ProblemBody>("GET", lost.contentUrl!);
    expect(res.body.code).toBe("documents.content_missing");
  });

  test("unknown documents and malformed ids", async () => {
    const unknown = "0b6f3f52-2d4e-4c8e-9a57-3c1d2b7e9f10";
    for (const path of [`/api/v1/documents/${unknown}`, `/api/v1/documents/${unknown}/content`]) {
      const res = await t.request<ProblemBody>("GET", path);
      expect(res.status, path).toBe(404);
      expect(res.body.code).toBe("documents.not_found");
    }
    const bad = await t.request<ProblemBody>("GET", "/api/v1/documents/123/content");
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.path).toBe("documentId");
  });

  test("a PDF has no thumbnails (thumbnails.http.test.ts covers images)", async () => {
    const res = await t.request<ProblemBody>(
      "GET",
      `/api/v1/documents/${doc.id}/thumbnail?size=md`,
    );
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("documents.not_an_image");
    const bad = await t.request<ProblemBody>(
      "GET",
      `/api/v1/documents/${doc.id}/thumbnail?size=xl`,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.path).toBe("size");
  });
});

describe("refused uploads leave nothing behind", () => {
  test("a text file named .pdf is 415", async () => {
    const part = await newPart(t);
    const before = await documentRows(t);
    const keys = await storedKeys(t, "docs");
    const res = await upload(t, part.id, Buffer.from("just some text, not a PDF\n"), {
      filename: "notes.pdf",
      type: "application/pdf",
    });
    expect(res.status).toBe(415);
    expect((await problemOf(res)).code).toBe("documents.unsupported_type");
    const empty = await upload(t, part.id, new Uint8Array(0), { filename: "empty.pdf" });
    expect(empty.status).toBe(415);
    expect(await documentRows(t)).toBe(before);
    expect(await storedKeys(t, "docs")).toEqual(keys);
  });

  test("a file over MAX_UPLOAD_BYTES is 413, with no object and no row", async () => {
    const small = await createTestApp({ env: { MAX_UPLOAD_BYTES: "4096" } });
    try {
      const part = await newPart(small);
      const res = await upload(small, part.id, makePdf(200_000), { filename: "big.pdf" });
      expect(res.status).toBe(413);
      expect((await problemOf(res)).code).toBe("documents.too_large");
      const exact = makePdf(10);
      const padded = Buffer.concat([exact, Buffer.alloc(4096 - exact.length, 0x20)]);
      const atLimit = await uploadOk(small, part.id, padded, { filename: "fits.pdf" });
      expect(atLimit.sizeBytes).toBe(4096);
      const over = await upload(small, part.id, Buffer.concat([padded, Buffer.from(" ")]));
      expect(over.status).toBe(413);
      expect(await storedKeys(small, "docs")).toEqual([`${atLimit.id}.pdf`]);
      expect(await documentRows(small)).toBe(1);
    } finally {
      await small.close();
    }
  });

  test("unsafe names are stored sanitised and cannot inject headers", async () => {
    const part = await newPart(t);
    const traversal = await uploadOk(t, part.id, await makePng(), {
      filename: "../../etc/passwd",
    });
    expect(traversal.originalFilename).toBe("passwd");
    expect(await storedKeys(t, "images")).toContain(`${traversal.id}.png`);

    const evil = 'evil\r\nX-Injected: 1"; q=".pdf';
    const { body, contentType } = rawMultipart(
      [
        `Content-Disposition: form-data; name="file"; filename*=UTF-8''${encodeURIComponent(evil)}`,
        "Content-Type: application/pdf",
      ],
      makePdf(),
    );
    const res = await t.app.request(`/api/v1/parts/${part.id}/documents`, {
      method: "POST",
      body,
      headers: { "Content-Type": contentType },
    });
    expect(res.status).toBe(201);
    const doc = DocumentSchema.parse(await res.json());
    expect(doc.originalFilename).toBe('evilX-Injected: 1"; q=".pdf');
    const { res: content } = await download(t, doc.contentUrl!);
    expect(content.headers.get("X-Injected")).toBeNull();
    expect(content.headers.get("Content-Disposition")).toBe(
      `inline; filename="evilX-Injected: 1_; q=_.pdf"; filename*=UTF-8''evilX-Injected%3A%201%22%3B%20q%3D%22.pdf`,
    );
    const windows = await uploadOk(t, part.id, makePdf(), { filename: "C:\\Users\\me\\x.pdf" });
    expect(windows.originalFilename).toBe("x.pdf");
    const long = await uploadOk(t, part.id, makePdf(), { filename: `${"a".repeat(500)}.pdf` });
    expect(long.originalFilename).toBe(`${"a".repeat(196)}.pdf`);
  });

  test("storage down is 503 and no row", async () => {
    const down = await createTestApp({ deps: { storage: openUnreachableStorage() } });
    try {
      const part = await newPart(down);
      const res = await upload(down, part.id, makePdf(), { filename: "x.pdf" });
      expect(res.status).toBe(503);
      expect((await problemOf(res)).code).toBe("storage.unavailable");
      expect(await documentRows(down)).toBe(0);
      const link = await down.request("POST", `/api/v1/parts/${part.id}/documents`, {
        kind: "link",
        url: "https://example.com/a.pdf",
      });
      expect(link.status).toBe(201);
      // A document stored before the outage: reading it is 503; deleting it still works
      // (the row goes, the object is left for storage:sweep).
      const id = crypto.randomUUID();
      await down.deps.db.insert(documentsTable).values({
        id,
        partId: part.id,
        kind: "pdf",
        contentType: "application/pdf",
        sizeBytes: 10,
        bucket: "docs",
        storageKey: `${id}.pdf`,
      });
      const content = await down.request<ProblemBody>("GET", `/api/v1/documents/${id}/content`);
      expect(content.status).toBe(503);
      expect(content.body.code).toBe("storage.unavailable");
      expect((await down.request("DELETE", `/api/v1/documents/${id}`)).status).toBe(204);
      expect((await down.request("GET", `/api/v1/documents/${id}`)).status).toBe(404);
    } finally {
      await down.close();
    }
  }, 120_000);

  test("bad multipart bodies name the field", async () => {
    const part = await newPart(t);
    const before = await documentRows(t);
    const keys = await storedKeys(t, "docs");
    const noFile = new FormData();
    noFile.append("title", "only a title");
    const missing = await t.app.request(`/api/v1/parts/${part.id}/documents`, {
      method: "POST",
      body: noFile,
    });
    expect(missing.status).toBe(400);
    expect((await problemOf(missing)).errors?.[0]?.path).toBe("file");

    const tooLong = await upload(t, part.id, makePdf(), { title: "t".repeat(201) });
    expect(tooLong.status).toBe(400);
    expect((await problemOf(tooLong)).errors?.[0]?.path).toBe("title");

    const two = new FormData();
    two.append("file", new Blob([makePdf()]), "a.pdf");
    two.append("file", new Blob([makePdf()]), "b.pdf");
    const twice = await t.app.request(`/api/v1/parts/${part.id}/documents`, {
      method: "POST",
      body: two,
    });
    expect(twice.status).toBe(400);
    expect((await problemOf(twice)).errors?.[0]?.path).toBe("file");

    const noBoundary = await t.app.request(`/api/v1/parts/${part.id}/documents`, {
      method: "POST",
      body: "x",
      headers: { "Content-Type": "multipart/form-data" },
    });
    expect(noBoundary.status).toBe(400);
    expect(await documentRows(t)).toBe(before);
    expect(await storedKeys(t, "docs")).toEqual(keys);
  });

  test("an unknown part is 404 and nothing is stored", async () => {
    const keys = await storedKeys(t, "docs");
    const res = await upload(t, "ZZZZ", makePdf());
    expect(res.status).toBe(404);
    expect((await problemOf(res)).code).toBe("parts.not_found");
    expect(await storedKeys(t, "docs")).toEqual(keys);
  });
});

describe("link documents", () => {
  test("a link is stored without content", async () => {
    const part = await newPart(t);
    const res = await t.request("POST", `/api/v1/parts/${part.id}/documents`, {
      kind: "link",
      url: "https://www.omron.com/ecb/products/pdf/en-g5q.pdf",
      title: "Vendor page",
    });
    expect(res.status).toBe(201);
    const doc = DocumentSchema.parse(res.body);
    expect(doc).toMatchObject({
      kind: "link",
      url: "https://www.omron.com/ecb/products/pdf/en-g5q.pdf",
      title: "Vendor page",
      contentUrl: null,
      contentType: null,
      sizeBytes: null,
      originalFilename: null,
    });
    const content = await t.request<ProblemBody>("GET", `/api/v1/documents/${doc.id}/content`);
    expect(content.status).toBe(404);
    expect(content.body.code).toBe("documents.no_content");
  });

  test("invalid JSON bodies name the field", async () => {
    const part = await newPart(t);
    const path = `/api/v1/parts/${part.id}/documents`;
    const cases: [unknown, string][] = [
      [{ kind: "link", url: "ftp://example.com/x.pdf" }, "url"],
      [{ kind: "link", url: "javascript:alert(1)" }, "url"],
      [{ kind: "link" }, "url"],
      [{ kind: "file", url: "https://example.com" }, "kind"],
      [{ kind: "link", url: "https://example.com", title: "t".repeat(201) }, "title"],
    ];
    for (const [body, field] of cases) {
      const res = await t.request<ProblemBody>("POST", path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors?.map((error) => error.path)).toContain(field);
    }
    const malformed = await t.request<ProblemBody>("POST", path, "{not json");
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe("request.malformed_json");
    const text = await t.request<ProblemBody>("POST", path, "hello", {
      "Content-Type": "text/plain",
    });
    expect(text.status).toBe(415);
    expect(text.body.code).toBe("request.unsupported_media_type");
  });
});

describe("covers", () => {
  test("the first image is the cover; PUT chooses another; deleting it moves to the next", async () => {
    const part = await newPart(t);
    const pdf = await uploadOk(t, part.id, makePdf());
    const first = await uploadOk(t, part.id, await makePng());
    const second = await uploadOk(t, part.id, await makePng());
    const third = await uploadOk(t, part.id, await makePng());
    const cover = async () =>
      PartSchema.parse((await t.request("GET", `/api/v1/parts/${part.id}`)).body).coverDocumentId;
    expect(await cover()).toBe(first.id);

    const put = await t.request("PUT", `/api/v1/parts/${part.id.toLowerCase()}/cover`, {
      documentId: third.id.toUpperCase(),
    });
    expect(put.status).toBe(200);
    expect(PartSchema.parse(put.body).coverDocumentId).toBe(third.id);

    // Deleting the cover: the oldest remaining image takes over.
    expect((await t.request("DELETE", `/api/v1/documents/${third.id}`)).status).toBe(204);
    expect(await cover()).toBe(first.id);
    // Deleting an image that is not the cover leaves the cover alone.
    expect((await t.request("DELETE", `/api/v1/documents/${second.id}`)).status).toBe(204);
    expect(await cover()).toBe(first.id);
    expect((await t.request("DELETE", `/api/v1/documents/${first.id}`)).status).toBe(204);
    expect(await cover()).toBeNull();

    const again = await uploadOk(t, part.id, await makePng());
    expect(await cover()).toBe(again.id);
    const cleared = await t.request("PUT", `/api/v1/parts/${part.id}/cover`, { documentId: null });
    expect(PartSchema.parse(cleared.body).coverDocumentId).toBeNull();
    expect(pdf.kind).toBe("pdf");
  });

  test("images uploaded at the same time: one of them becomes the cover", async () => {
    const part = await newPart(t);
    const images = await Promise.all(
      [1, 2, 3, 4].map(async () => uploadOk(t, part.id, await makePng(16, 16))),
    );
    const read = PartSchema.parse((await t.request("GET", `/api/v1/parts/${part.id}`)).body);
    expect(images.map((image) => image.id)).toContain(read.coverDocumentId!);
  });

  test("only an image of the same part can be the cover", async () => {
    const part = await newPart(t);
    const other = await newPart(t);
    const pdf = await uploadOk(t, part.id, makePdf());
    const foreign = await uploadOk(t, other.id, await makePng());
    const path = `/api/v1/parts/${part.id}/cover`;
    const cases: [unknown, string][] = [
      [{ documentId: pdf.id }, "documents.cover_not_image"],
      [{ documentId: foreign.id }, "documents.cover_not_image"],
      [{ documentId: "0b6f3f52-2d4e-4c8e-9a57-3c1d2b7e9f10" }, "documents.cover_not_image"],
      [{ documentId: "nope" }, "validation.failed"],
      [{}, "validation.failed"],
    ];
    for (const [body, code] of cases) {
      const res = await t.request<ProblemBody>("PUT", path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe(code);
      expect(res.body.errors?.[0]?.path).toBe("documentId");
    }
    const unknown = await t.request<ProblemBody>("PUT", "/api/v1/parts/ZZZZ/cover", {
      documentId: pdf.id,
    });
    expect(unknown.status).toBe(404);
  });
});

describe("deleting", () => {
  test("a document goes with its stored object", async () => {
    const part = await newPart(t);
    const doc = await uploadOk(t, part.id, makePdf());
    expect(await storedKeys(t, "docs")).toContain(`${doc.id}.pdf`);
    expect((await t.request("DELETE", `/api/v1/documents/${doc.id}`)).status).toBe(204);
    expect(await storedKeys(t, "docs")).not.toContain(`${doc.id}.pdf`);
    expect((await t.request("GET", `/api/v1/documents/${doc.id}`)).status).toBe(404);
    expect((await t.request("DELETE", `/api/v1/documents/${doc.id}`)).status).toBe(404);
  });

  test("deleting a part removes its documents and their objects", async () => {
    const part = await newPart(t);
    const kept = await newPart(t);
    const pdf = await uploadOk(t, part.id, makePdf());
    const png = await uploadOk(t, part.id, await makePng());
    await t.request("POST", `/api/v1/parts/${part.id}/documents`, {
      kind: "link",
      url: "https://example.com",
    });
    const other = await uploadOk(t, kept.id, makePdf());
    expect((await t.request("DELETE", `/api/v1/parts/${part.id}`)).status).toBe(204);
    const docs = await storedKeys(t, "docs");
    expect(docs).not.toContain(`${pdf.id}.pdf`);
    expect(docs).toContain(`${other.id}.pdf`);
    expect(await storedKeys(t, "images")).not.toContain(`${png.id}.png`);
    expect((await t.request("GET", `/api/v1/documents/${pdf.id}`)).status).toBe(404);
    expect((await t.request("GET", `/api/v1/parts/${part.id}/documents`)).status).toBe(404);
  });
});

describe("search", () => {
  test("finds parts by the file names of their documents", async () => {
    const part = await newPart(t, { description: "Crystal 16 MHz" });
    const other = await newPart(t, { description: "Crystal 8 MHz" });
    await uploadOk(t, part.id, makePdf(), { filename: "Crystal-Quarzoszillator-Kennblatt.pdf" });
    const hits = async (q: string) => {
      const res = await t.request<{ items: { id: string }[] }>(
        "GET",
        `/api/v1/search?q=${encodeURIComponent(q)}`,
      );
      expect(res.status).toBe(200);
      return res.body.items.map((hit) => hit.id);
    };
    expect(await hits("quarzoszillator")).toEqual([part.id]);
    expect(await hits("KENNBLATT")).toEqual([part.id]);
    // Both match "crystal" by description; the one whose file name matches too scores higher.
    const res = await t.request<{ items: { id: string; score: number }[] }>(
      "GET",
      "/api/v1/search?q=crystal",
    );
    const [first, second] = res.body.items;
    expect([first?.id, second?.id]).toEqual([part.id, other.id]);
    expect(second!.score).toBeGreaterThan(0);
    expect(first!.score).toBeGreaterThan(second!.score);
    expect(await hits("oszillator-kennblatt.pdf")).toEqual([part.id]);
  });
});
