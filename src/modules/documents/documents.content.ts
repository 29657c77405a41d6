import type { BucketName, ByteRange } from "../../platform/storage";
import type { DocumentKind } from "./documents.table";

/** The stored file types; anything else is refused (415). */
export interface SniffedType {
  kind: Exclude<DocumentKind, "link">;
  contentType: string;
  bucket: BucketName;
  extension: string;
}

const PDF: SniffedType = {
  kind: "pdf",
  contentType: "application/pdf",
  bucket: "docs",
  extension: "pdf",
};
const image = (contentType: string, extension: string): SniffedType => ({
  kind: "image",
  contentType,
  bucket: "images",
  extension,
});

/** Bytes needed to recognise every accepted type. */
export const SNIFF_BYTES = 12;

const startsWith = (head: Uint8Array, bytes: number[], offset = 0) =>
  head.length >= offset + bytes.length && bytes.every((byte, i) => head[offset + i] === byte);
const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));

/**
 * The type of a file from its first bytes (magic numbers), never from its name or the
 * client's Content-Type: PDF, JPEG, PNG, WebP and GIF; undefined for anything else.
 */
export function sniffContentType(head: Uint8Array): SniffedType | undefined {
  if (startsWith(head, ascii("%PDF-"))) return PDF;
  if (startsWith(head, [0xff, 0xd8, 0xff])) return image("image/jpeg", "jpg");
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    return image("image/png", "png");
  }
  if (startsWith(head, ascii("RIFF")) && startsWith(head, ascii("WEBP"), 8)) {
    return image("image/webp", "webp");
  }
  if (startsWith(head, ascii("GIF87a")) || startsWith(head, ascii("GIF89a"))) {
    return image("image/gif", "gif");
  }
  return undefined;
}

export const MAX_FILENAME_LENGTH = 200;

/**
 * A client's file name made safe to keep and show: the last path component only (both
 * separators), control and bidi-override characters removed, whitespace collapsed, at
 * most 200 characters (the extension kept). Null when nothing usable is left.
 */
export function sanitiseFilename(name: string | undefined | null): string | null {
  if (!name) return null;
  const base = name.split(/[/\\]/).pop() ?? "";
  const cleaned = base
    .normalize("NFC")
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "")
    .replace(/\s+/g, " ")
    .trim();
  if (cleaned === "" || cleaned === "." || cleaned === "..") return null;
  const chars = [...cleaned];
  if (chars.length <= MAX_FILENAME_LENGTH) return cleaned;
  const dot = cleaned.lastIndexOf(".");
  const extension = dot > 0 ? [...cleaned.slice(dot)] : [];
  if (extension.length > 0 && extension.length <= 16) {
    return chars.slice(0, MAX_FILENAME_LENGTH - extension.length).join("") + extension.join("");
  }
  return chars.slice(0, MAX_FILENAME_LENGTH).join("");
}

/**
 * `Content-Disposition: inline` with an ASCII fallback name (quotes, backslashes and
 * non-ASCII replaced) and the exact name percent-encoded as `filename*` (RFC 6266 / 8187),
 * so no file name can break out of the header.
 */
export function contentDisposition(filename: string): string {
  const fallback =
    filename
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^\x20-\x7e]|["\\%]/g, "_")
      .trim() || "download";
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `inline; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

export type RangeRequest =
  | { kind: "full" }
  | { kind: "partial"; range: ByteRange }
  | { kind: "unsatisfiable" };

/**
 * Interprets a `Range` header against an object of `size` bytes (RFC 9110 §14). One
 * satisfiable `bytes=` range answers 206; several ranges, another unit or a malformed
 * header are ignored (the whole body, 200), as the RFC allows; a well-formed range
 * starting at or beyond the end is unsatisfiable (416).
 */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (header === undefined) return { kind: "full" };
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return { kind: "full" };
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return { kind: "full" };
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: "unsatisfiable" };
    return { kind: "partial", range: { start: Math.max(0, size - suffix), end: size - 1 } };
  }
  const start = Number(first);
  if (!Number.isSafeInteger(start) || start >= size) return { kind: "unsatisfiable" };
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  if (end < start) return { kind: "full" };
  return { kind: "partial", range: { start, end } };
}

/** Whether an `If-None-Match` header matches an entity tag (weak comparison, RFC 9110). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return header.split(",").some((tag) => opaque(tag) === opaque(etag));
}
