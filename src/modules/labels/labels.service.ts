import bwipjs from "bwip-js";
import type { Db } from "../../platform/db";
import { sharp } from "../../platform/sharp";
import { partNotFound } from "../parts/parts.errors";
import { findPartById } from "../parts/parts.repo";
import type { LabelParams } from "./labels.schemas";

const DPI = 300;
const FONT = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif";
/** Average advance of a sans-serif glyph, in em; enough to cut text before the edge. */
const GLYPH_EM = 0.58;

export interface LabelSpec {
  id: string;
  description: string;
  barcode: boolean;
  widthMm: number;
  heightMm: number;
}

const toPixels = (mm: number) => Math.round((mm / 25.4) * DPI);

/** Text safe inside an XML element: escaped, and without characters XML forbids. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;");
}

/** Up to `lines` lines of at most `perLine` characters, broken at spaces, "…" when cut. */
export function wrapText(text: string, perLine: number, lines: number): string[] {
  if (lines < 1) return [];
  const tokens = text
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((word) => word.match(new RegExp(`.{1,${perLine}}`, "gu")) ?? []);
  const out: string[] = [];
  let line = "";
  for (const token of tokens) {
    const candidate = line ? `${line} ${token}` : token;
    if (candidate.length <= perLine) {
      line = candidate;
      continue;
    }
    out.push(line);
    if (out.length === lines) {
      out[lines - 1] = `${line.slice(0, perLine - 1)}…`;
      return out;
    }
    line = token;
  }
  if (line) out.push(line);
  return out;
}

/** The barcode as an SVG element placed at (x, y) and stretched to the box given. */
function barcodeSvg(id: string, x: number, y: number, width: number, height: number) {
  const svg = bwipjs.toSVG({ bcid: "code128", text: id, height: 10, paddingwidth: 4 });
  return svg.replace(
    "<svg ",
    `<svg x="${x}" y="${y}" width="${width}" height="${height}" preserveAspectRatio="none" `,
  );
}

/**
 * A printable label at 300 dpi: the id large at the top, the start of the description
 * below it, and optionally a Code 128 barcode of the id along the bottom.
 */
export function renderLabelSvg(spec: LabelSpec) {
  const width = toPixels(spec.widthMm);
  const height = toPixels(spec.heightMm);
  const margin = Math.round(Math.min(width, height) * 0.06);
  const inner = width - 2 * margin;
  const barcodeHeight = spec.barcode ? Math.round(height * 0.3) : 0;
  const textHeight = height - 2 * margin - (spec.barcode ? barcodeHeight + margin : 0);
  const idSize = Math.min(Math.round(textHeight * 0.55), Math.floor(inner / (4 * 0.75)));
  const descSize = Math.max(8, Math.round(textHeight * 0.16));
  const perLine = Math.max(1, Math.floor(inner / (descSize * GLYPH_EM)));
  const lineCount = Math.max(0, Math.floor((textHeight - idSize * 1.1) / (descSize * 1.2)));
  const lines = wrapText(spec.description, perLine, Math.min(lineCount, 3));
  const descriptionTspans = lines
    .map(
      (line, i) =>
        `<tspan x="${margin}" y="${Math.round(margin + idSize * 1.1 + descSize * (1.1 + i * 1.2))}">${escapeXml(line)}</tspan>`,
    )
    .join("");
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${margin}" y="${margin + Math.round(idSize * 0.85)}" font-family="${FONT}" font-weight="bold" font-size="${idSize}" fill="#000000">${escapeXml(spec.id)}</text>`,
    lines.length > 0
      ? `<text font-family="${FONT}" font-size="${descSize}" fill="#000000">${descriptionTspans}</text>`
      : "",
    spec.barcode
      ? barcodeSvg(spec.id, margin, height - margin - barcodeHeight, inner, barcodeHeight)
      : "",
    "</svg>",
  ];
  return { svg: parts.join(""), width, height };
}

export async function renderLabelPng(spec: LabelSpec): Promise<Buffer> {
  const { svg } = renderLabelSvg(spec);
  return sharp(Buffer.from(svg)).png().withMetadata({ density: DPI }).toBuffer();
}

/** A part's label as SVG text or PNG bytes. */
export async function getLabel(db: Db, partId: string, params: LabelParams) {
  const part = await findPartById(db, partId);
  if (!part) throw partNotFound(partId);
  const spec = {
    id: part.id,
    description: part.description,
    barcode: params.barcode === "true",
    widthMm: params.widthMm,
    heightMm: params.heightMm,
  };
  return params.format === "png"
    ? { contentType: "image/png", body: new Uint8Array(await renderLabelPng(spec)) }
    : { contentType: "image/svg+xml; charset=utf-8", body: renderLabelSvg(spec).svg };
}
