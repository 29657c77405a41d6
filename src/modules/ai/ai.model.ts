import { z } from "@hono/zod-openapi";
import { HttpUrl, text } from "../../lib/schemas";
import { normaliseTags } from "../parts/parts.service";

/*
 * What the model is asked to answer (sent as `response_format: json_schema`, so every
 * field is required and optional ones are nullable), and how its answer is normalised
 * before anything is stored: the parts module's rules for tags and lengths, enums, ranges.
 * A value that breaks a rule is dropped (null, or left out of a list), never stored.
 */

export const mountingTypes = [
  "through-hole",
  "surface-mount",
  "panel-mount",
  "chassis-mount",
  "other",
] as const;

const attributesShape = {
  manufacturer: z.string().nullable(),
  package: z.string().nullable().describe('Package or case, e.g. "DIP-8", "SOT-23", "0805".'),
  mountingType: z.enum(mountingTypes).nullable(),
  pinCount: z.number().nullable(),
  voltageRating: z.string().nullable().describe('e.g. "5 V", "3.3-5 V", "250 VAC".'),
};

export const AnalysisAnswer = z.object({
  tags: z.array(z.string()).describe("Short search tags, at most 10."),
  type: z.object({
    name: z.string().describe("One of the listed types when one fits, else a new short name."),
    confidence: z.number().describe("0..1: how sure the type is right."),
  }),
  attributes: z.object(attributesShape),
});
export type AnalysisAnswer = z.infer<typeof AnalysisAnswer>;

export const DatasheetAnswer = z.object({
  urls: z.array(z.string()).describe("Direct links to datasheet PDFs, most likely first."),
});

export const PhotoAnswer = z.object({
  manufacturerCode: z.string().nullable().describe("The part number printed or labelled."),
  manufacturer: z.string().nullable(),
  description: z.string().describe('A short description, e.g. "Relay 5 V SPST 5 A".'),
  type: z.string().nullable().describe("One of the listed types when one fits."),
  tags: z.array(z.string()),
  datasheetUrls: z.array(z.string()).describe("Likely direct links to its datasheet PDF."),
});
export type PhotoAnswer = z.infer<typeof PhotoAnswer>;

const MAX_SUGGESTED_TAGS = 20;
const MAX_CANDIDATE_URLS = 5;

const Tag = text(50).min(1);
const Short = text(50).min(1);
const Name = text(100).min(1);
const PinCount = z.number().int().min(0).max(100_000);

/** The value when it passes `schema`, else null. */
function valid<T>(schema: z.ZodType<T>, value: unknown): T | null {
  const result = schema.safeParse(value);
  return result.success ? result.data : null;
}

export function normaliseSuggestedTags(tags: string[]): string[] {
  const ok = tags.flatMap((tag) => {
    const result = Tag.safeParse(tag);
    return result.success ? [result.data] : [];
  });
  return normaliseTags(ok).slice(0, MAX_SUGGESTED_TAGS);
}

export function normaliseAttributes(attributes: AnalysisAnswer["attributes"]) {
  return {
    package: valid(Short, attributes.package),
    mountingType: valid(z.enum(mountingTypes), attributes.mountingType),
    pinCount: valid(PinCount, attributes.pinCount),
    voltageRating: valid(Short, attributes.voltageRating),
    manufacturer: valid(Name, attributes.manufacturer),
  };
}

export interface KnownType {
  id: number;
  name: string;
}

/**
 * The model names a type; only a name equal (ignoring case) to one of the user's types
 * gets its id. An invented name is kept as a suggestion with `typeId: null` and its
 * confidence capped, since nothing in the user's catalogue backs it.
 */
export function resolveType(
  suggested: { name: string; confidence: number } | null,
  types: KnownType[],
) {
  const name = valid(Name, suggested?.name);
  if (!suggested || !name) return { typeId: null, name: null, confidence: 0 };
  const confidence = Number.isFinite(suggested.confidence)
    ? Math.min(1, Math.max(0, suggested.confidence))
    : 0;
  const known = types.find((type) => type.name.toLowerCase() === name.toLowerCase());
  if (known) return { typeId: known.id, name: known.name, confidence };
  return { typeId: null, name, confidence: Math.min(confidence, 0.3) };
}

/** http(s) URLs only, each once, at most five; the fetcher checks every one again. */
export function normaliseCandidateUrls(urls: string[]): string[] {
  const seen = new Set<string>();
  for (const url of urls) {
    const parsed = valid(HttpUrl, typeof url === "string" ? url.trim() : url);
    if (parsed) seen.add(parsed);
    if (seen.size >= MAX_CANDIDATE_URLS) break;
  }
  return [...seen];
}

export function normalisePhotoAnswer(answer: PhotoAnswer, types: KnownType[]) {
  const type = resolveType(answer.type ? { name: answer.type, confidence: 1 } : null, types);
  return {
    manufacturerCode: valid(Name, answer.manufacturerCode),
    manufacturer: valid(Name, answer.manufacturer),
    description: valid(text(500).min(1), answer.description),
    typeId: type.typeId,
    typeName: type.name,
    tags: normaliseSuggestedTags(answer.tags),
    datasheetUrls: normaliseCandidateUrls(answer.datasheetUrls),
  };
}

export function typeList(types: KnownType[]) {
  return types.map((type) => `- ${type.name}`).join("\n") || "(none yet)";
}
