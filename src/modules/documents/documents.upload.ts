import { type Readable, Transform, type TransformCallback } from "node:stream";
import busboy from "busboy";
import { AppError, badRequest } from "../../lib/errors";
import { SNIFF_BYTES, type SniffedType, sniffContentType } from "./documents.content";
import { unsupportedFileType, uploadTooLarge } from "./documents.errors";

/** Room for the multipart framing and the `title` field around a file of the maximum size. */
const MULTIPART_OVERHEAD_BYTES = 1024 * 1024;
const MAX_TITLE_BYTES = 4096;

/** What the caller does with the file once its type is known: stream it into storage. */
export type StoreFile<T> = (type: SniffedType, body: Readable) => Promise<T>;

export interface ReceivedUpload<T> {
  stored: T;
  type: SniffedType;
  /** The file name the client sent, unsanitised. */
  filename: string | undefined;
  sizeBytes: number;
  title: string | undefined;
}

/**
 * Counts the bytes passing through and learns the file type from the first ones. The
 * count lives here, not in a `data` listener, so backpressure from storage reaches the
 * request body. Over `maxBytes` it fails with 413, which aborts the storage write.
 */
class UploadGuard extends Transform {
  bytes = 0;
  readonly sniffed: Promise<SniffedType | undefined>;
  #head: Buffer[] = [];
  #headBytes = 0;
  #decided = false;
  #decide!: (type: SniffedType | undefined) => void;
  #fail!: (error: unknown) => void;

  constructor(private readonly maxBytes: number) {
    super();
    this.sniffed = new Promise((resolve, reject) => {
      this.#decide = resolve;
      this.#fail = reject;
    });
    this.sniffed.catch(() => {});
    // Errors reach the caller through `sniffed` and the storage write reading this stream;
    // after either has settled, a late error must not become an uncaught exception.
    this.on("error", () => {});
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) return callback(uploadTooLarge(this.maxBytes));
    if (this.#decided) return callback(null, chunk);
    this.#head.push(chunk);
    this.#headBytes += chunk.length;
    if (this.#headBytes >= SNIFF_BYTES) this.#release();
    callback();
  }

  override _flush(callback: TransformCallback) {
    if (!this.#decided) this.#release();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void) {
    if (!this.#decided) this.#fail(error ?? new Error("upload ended before its type was known"));
    callback(error);
  }

  #release() {
    this.#decided = true;
    const head = Buffer.concat(this.#head);
    this.#head = [];
    this.#decide(sniffContentType(head));
    this.push(head);
  }
}

/**
 * Reads a `multipart/form-data` body with one `file` part and an optional `title` field,
 * streaming the file into `store` as it arrives: the file is never held in memory. The
 * type comes from the file's first bytes (415 otherwise); more than `maxBytes` is 413.
 * When anything fails after `store` succeeded, `discard` removes what it stored.
 */
export function receiveUpload<T>(options: {
  body: Readable;
  contentType: string;
  contentLength: number | undefined;
  maxBytes: number;
  /** The form field that carries the file (`file`; photo intake sends `photo`). */
  field?: string;
  store: StoreFile<T>;
  discard: (stored: T) => Promise<void>;
}): Promise<ReceivedUpload<T>> {
  const { body, maxBytes } = options;
  const field = options.field ?? "file";
  if (
    options.contentLength !== undefined &&
    options.contentLength > maxBytes + MULTIPART_OVERHEAD_BYTES
  ) {
    return Promise.reject(uploadTooLarge(maxBytes));
  }
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { "content-type": options.contentType },
        defParamCharset: "utf8",
        limits: { files: 1, fields: 4, parts: 6, fieldSize: MAX_TITLE_BYTES },
      });
    } catch {
      reject(malformedMultipart("The multipart/form-data body has no boundary."));
      return;
    }
    let received: Promise<Omit<ReceivedUpload<T>, "title">> | undefined;
    let guard: UploadGuard | undefined;
    let title: string | undefined;
    let settled = false;

    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      // Stop reading the request: the client gets its answer without sending the rest.
      body.unpipe(parser);
      // A storage write still waiting for bytes is aborted and stores nothing.
      guard?.destroy(error instanceof Error ? error : new Error(String(error)));
      received?.then((upload) => options.discard(upload.stored)).catch(() => {});
      reject(error);
    };

    parser.on("file", (name, file, info) => {
      if (name !== field || received) {
        fail(
          badRequest(
            "documents.unexpected_file",
            `Send exactly one file, as the field "${field}".`,
            [{ path: name, message: `Unexpected file; send one file as the field \`${field}\`.` }],
          ),
        );
        return;
      }
      guard = new UploadGuard(maxBytes);
      // Over the limit the request stops being read at once, not when the storage write
      // has wound down: the rest of a large body is left to the server to refuse.
      guard.once("error", fail);
      received = storeFile(file, guard, options.store).then((stored) => ({
        ...stored,
        filename: info.filename,
      }));
      received.catch(fail);
    });
    parser.on("field", (name, value, info) => {
      if (name !== "title") return;
      if (info.valueTruncated) {
        fail(
          badRequest("validation.failed", "Invalid title: too long.", [
            { path: "title", message: `Too long: at most ${MAX_TITLE_BYTES} bytes.` },
          ]),
        );
        return;
      }
      title = value;
    });
    parser.on("filesLimit", () =>
      fail(
        badRequest("documents.unexpected_file", "Send exactly one file per request.", [
          { path: field, message: "Only one file per request." },
        ]),
      ),
    );
    parser.on("partsLimit", () => fail(malformedMultipart("Too many form fields.")));
    parser.on("error", (error) =>
      fail(malformedMultipart(`The multipart/form-data body is malformed: ${String(error)}`)),
    );
    parser.on("close", () => {
      if (!received) {
        fail(
          badRequest("validation.failed", `Invalid ${field}: required.`, [
            { path: field, message: "Required: the file to upload." },
          ]),
        );
        return;
      }
      received.then((upload) => {
        if (settled) return;
        settled = true;
        resolve({ ...upload, title });
      }, fail);
    });
    body.on("error", () =>
      fail(
        new AppError(400, "request.incomplete", "The request body ended before it was complete."),
      ),
    );
    body.pipe(parser);
  });
}

async function storeFile<T>(file: Readable, guard: UploadGuard, store: StoreFile<T>) {
  file.on("error", (error) => guard.destroy(error));
  file.pipe(guard);
  const type = await guard.sniffed;
  if (!type) {
    guard.destroy();
    throw unsupportedFileType();
  }
  const stored = await store(type, guard);
  return { stored, type, sizeBytes: guard.bytes };
}

const malformedMultipart = (detail: string) =>
  new AppError(400, "request.malformed_multipart", detail);
