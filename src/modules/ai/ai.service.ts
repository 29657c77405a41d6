import { randomUUID } from "node:crypto";
import type { Deps } from "../../deps";
import { AppError } from "../../lib/errors";
import { type JobProgress, PermanentJobError } from "../../lib/jobs";
import type { Ai } from "../../platform/ai";
import { type Db, withTx } from "../../platform/db";
import { draftExpiry } from "../documents/documents.drafts";
import { findDocument } from "../documents/documents.repo";
import {
  storeFetchedDocument,
  type UploadRequest,
  uploadDraftImage,
} from "../documents/documents.service";
import { enqueueJob } from "../jobs/jobs.repo";
import type { JobRecord } from "../jobs/jobs.table";
import { partNotFound } from "../parts/parts.errors";
import { findPartById } from "../parts/parts.repo";
import type { PartDto } from "../parts/parts.schemas";
import { applyPartSuggestion, getPart } from "../parts/parts.service";
import { listTypeNames } from "../types/types.repo";
import { aiNotConfigured } from "./ai.errors";
import { analyzeJob, discoverDatasheetJob, photoIntakeJob } from "./ai.jobs";
import {
  AnalysisAnswer,
  DatasheetAnswer,
  type KnownType,
  normaliseAttributes,
  normaliseCandidateUrls,
  normalisePhotoAnswer,
  normaliseSuggestedTags,
  PhotoAnswer,
  resolveType,
  typeList,
} from "./ai.model";
import { photoForVision } from "./ai.photo";
import type {
  AnalysisResult,
  DatasheetAttempt,
  DiscoveryResult,
  PhotoIntakeResult,
} from "./ai.schemas";

/**
 * Runs `work` while the step is being recorded: the progress write (a commit) overlaps
 * the model call or fetch it announces instead of delaying it.
 */
async function step<T>(
  progress: JobProgress,
  fraction: number,
  label: string,
  work: () => Promise<T>,
): Promise<T> {
  const [, result] = await Promise.all([progress(fraction, label), work()]);
  return result;
}

/** The AI adapter, or 503 before anything is stored or queued. */
function requireAi(deps: Pick<Deps, "ai">): Ai {
  if (!deps.ai) throw aiNotConfigured();
  return deps.ai;
}

/** In a job: a worker without a key cannot run AI jobs, and retrying will not change that. */
function aiForJob(deps: Pick<Deps, "ai">): Ai {
  if (!deps.ai) throw new PermanentJobError("AI is not configured on the worker (OPENAI_API_KEY).");
  return deps.ai;
}

/** Queues a job about an existing part, in one transaction with the check that it exists. */
async function enqueueForPart(db: Db, partId: string, enqueue: (tx: Db) => Promise<JobRecord>) {
  return withTx(db, async (tx) => {
    if (!(await findPartById(tx, partId))) throw partNotFound(partId);
    return enqueue(tx);
  });
}

export function requestAnalysis(deps: Deps, partId: string, input: { apply?: boolean }) {
  requireAi(deps);
  // A POST without a body validates as `{}`: the default is applied here.
  const apply = input.apply === true;
  return enqueueForPart(deps.db, partId, (tx) => enqueueJob(tx, analyzeJob, { partId, apply }));
}

export function requestDiscovery(deps: Deps, partId: string) {
  requireAi(deps);
  // The document id is chosen now, so a rerun of the job finds what an earlier run stored.
  return enqueueForPart(deps.db, partId, (tx) =>
    enqueueJob(tx, discoverDatasheetJob, { partId, documentId: randomUUID() }),
  );
}

/** Stores the photo as a draft and queues its intake job in the same transaction. */
export async function requestPhotoIntake(deps: Deps, request: UploadRequest): Promise<JobRecord> {
  requireAi(deps);
  let job: JobRecord | undefined;
  await uploadDraftImage(deps, request, {
    field: "photo",
    expiresAt: draftExpiry(),
    afterInsert: async (tx, photoDocumentId) => {
      job = await enqueueJob(tx, photoIntakeJob, {
        photoDocumentId,
        datasheetDocumentId: randomUUID(),
      });
    },
  });
  return job!;
}

/** The part, or a permanent failure: a job about a deleted part cannot succeed later. */
async function partForJob(db: Db, partId: string): Promise<PartDto> {
  try {
    return await getPart(db, partId);
  } catch (error) {
    if (error instanceof AppError && error.status === 404) {
      throw new PermanentJobError(`Part ${partId} no longer exists.`);
    }
    throw error;
  }
}

const knownTypes = (db: Db): Promise<KnownType[]> => listTypeNames(db);

function describePart(part: PartDto): string {
  const fields = {
    description: part.description,
    manufacturerCode: part.manufacturerCode,
    manufacturer: part.manufacturer,
    type: part.typeName,
    tags: part.tags.join(", ") || null,
    package: part.package,
    mountingType: part.mountingType,
    pinCount: part.pinCount,
    voltageRating: part.voltageRating,
    seller: part.seller,
    sellerLink: part.sellerLink,
  };
  return Object.entries(fields)
    .filter(([, value]) => value !== null && value !== "")
    .map(([name, value]) => `${name}: ${value}`)
    .join("\n");
}

const SYSTEM =
  "You catalogue electronic components for a hobbyist's parts inventory. Answer only with the requested JSON. Use null for anything you are not sure of; never guess part numbers or URLs you have not seen.";

/** The `ai.analyze` job: suggestions from the model, normalised; applied when asked. */
export async function analyzePart(
  deps: Deps,
  payload: { partId: string; apply: boolean },
  progress: JobProgress,
): Promise<AnalysisResult> {
  const ai = aiForJob(deps);
  const [part, types] = await Promise.all([
    partForJob(deps.db, payload.partId),
    knownTypes(deps.db),
  ]);
  const answer = await step(progress, 0.1, "asking the model", () =>
    ai.complete({
      name: "part_analysis",
      schema: AnalysisAnswer,
      system: SYSTEM,
      user: `Suggest search tags, a type and attributes for this part.\nTypes in the inventory:\n${typeList(types)}\n\nPart:\n${describePart(part)}`,
    }),
  );
  const suggestions = {
    tags: normaliseSuggestedTags(answer.tags),
    type: resolveType(answer.type, types),
    attributes: normaliseAttributes(answer.attributes),
  };
  if (!payload.apply) return { suggestions, applied: null };
  await progress(0.9, "applying the suggestions");
  try {
    const applied = await applyPartSuggestion(deps.db, payload.partId, {
      tags: suggestions.tags,
      typeId: suggestions.type.typeId,
      ...suggestions.attributes,
    });
    return { suggestions, applied };
  } catch (error) {
    // The part was deleted, or the type, while the model was thinking.
    if (error instanceof AppError && error.status < 500) {
      throw new PermanentJobError(`Suggestions not applied: ${error.detail}`);
    }
    throw error;
  }
}

async function proposeDatasheetUrls(ai: Ai, description: string): Promise<string[]> {
  const answer = await ai.complete({
    name: "datasheet_urls",
    schema: DatasheetAnswer,
    system: SYSTEM,
    user: `List up to five URLs that most likely serve this part's datasheet as a PDF file directly (the manufacturer's site first, then distributors).\n\nPart:\n${description}`,
  });
  return normaliseCandidateUrls(answer.urls);
}

function pdfFilename(finalUrl: string, fallback: string): string {
  const last = decodeURIComponent(new URL(finalUrl).pathname.split("/").pop() ?? "");
  return /\.pdf$/i.test(last) ? last : `${fallback}.pdf`;
}

/**
 * Tries the URLs in order and stores the first real PDF under `target.id`. Each attempt is
 * recorded with its outcome. A document already stored under that id (an earlier run of
 * the same job) ends the search at once.
 */
async function fetchFirstPdf(
  deps: Deps,
  urls: string[],
  target: { id: string; partId: string | null; draftExpiresAt?: Date; name: string },
  progress: JobProgress,
): Promise<DiscoveryResult> {
  const tried: DatasheetAttempt[] = [];
  for (const [index, url] of urls.entries()) {
    const label = `fetching ${new URL(url).host} (${index + 1}/${urls.length})`;
    const answer = await step(progress, index / urls.length, label, () =>
      deps.fetcher.fetchPdf(url),
    );
    if (!answer.ok) {
      tried.push({ url, outcome: answer.outcome, detail: answer.detail });
      continue;
    }
    const document = await storeFetchedDocument(deps, {
      id: target.id,
      partId: target.partId,
      draftExpiresAt: target.draftExpiresAt,
      bytes: answer.bytes,
      filename: pdfFilename(answer.finalUrl, target.name),
      sourceUrl: answer.finalUrl,
    }).catch((error: unknown) => {
      // The part was deleted while its datasheet was being fetched.
      if (error instanceof AppError && error.status === 404) {
        throw new PermanentJobError(`Datasheet not stored: ${error.detail}`);
      }
      throw error;
    });
    tried.push({
      url,
      outcome: "stored",
      detail: `${answer.bytes.length} bytes from ${answer.finalUrl}`,
    });
    return { documentId: document.id, tried };
  }
  return { documentId: null, tried };
}

/** The result of a run whose datasheet an earlier run of the same job already stored. */
async function alreadyStored(db: Db, documentId: string): Promise<DiscoveryResult | undefined> {
  const stored = await findDocument(db, documentId);
  if (!stored) return undefined;
  const url = stored.sourceUrl ?? "";
  return { documentId, tried: [{ url, outcome: "stored", detail: "stored by an earlier run" }] };
}

/** The `ai.discover_datasheet` job. */
export async function discoverDatasheet(
  deps: Deps,
  payload: { partId: string; documentId: string },
  progress: JobProgress,
): Promise<DiscoveryResult> {
  const ai = aiForJob(deps);
  const done = await alreadyStored(deps.db, payload.documentId);
  if (done) return done;
  const part = await partForJob(deps.db, payload.partId);
  const urls = await step(progress, 0.05, "asking the model for datasheet links", () =>
    proposeDatasheetUrls(ai, describePart(part)),
  );
  return fetchFirstPdf(
    deps,
    urls,
    { id: payload.documentId, partId: part.id, name: part.manufacturerCode ?? part.id },
    (fraction, label) => progress(0.2 + 0.8 * fraction, label),
  );
}

/** The `ai.photo_intake` job: photo → vision model → draft fields → datasheet (a draft too). */
export async function runPhotoIntake(
  deps: Deps,
  payload: { photoDocumentId: string; datasheetDocumentId: string },
  progress: JobProgress,
): Promise<PhotoIntakeResult> {
  const ai = aiForJob(deps);
  await progress(0.05, "reading the photo");
  const photo = await findDocument(deps.db, payload.photoDocumentId);
  if (!photo?.bucket || !photo.storageKey) {
    throw new PermanentJobError(
      `The photo ${payload.photoDocumentId} is gone (expired or deleted).`,
    );
  }
  const content = await deps.storage.get(photo.bucket, photo.storageKey);
  if (!content) throw new PermanentJobError(`The stored photo ${photo.id} is missing.`);
  const bytes = Buffer.concat(await content.body.toArray());
  await progress(0.15, "downscaling the photo");
  const image = await photoForVision(bytes).catch((error: unknown) => {
    throw new PermanentJobError(`The photo cannot be read as an image: ${String(error)}`);
  });
  const types = await knownTypes(deps.db);
  const answer = await step(progress, 0.25, "reading the photo with the vision model", () =>
    ai.complete({
      name: "part_photo",
      schema: PhotoAnswer,
      vision: true,
      system: SYSTEM,
      user: [
        {
          type: "text",
          text: `Read this photo of an electronic part or its bag: part number, manufacturer, a short description, the type, search tags, and URLs of its datasheet PDF if you know them.\nTypes in the inventory:\n${typeList(types)}`,
        },
        { type: "image", url: image.url },
      ],
    }),
  );
  const { datasheetUrls, ...draft } = normalisePhotoAnswer(answer, types);
  await progress(0.5, "looking for a datasheet");
  const known = await alreadyStored(deps.db, payload.datasheetDocumentId);
  let datasheet = known;
  if (!datasheet) {
    const urls =
      datasheetUrls.length > 0 || !draft.manufacturerCode
        ? datasheetUrls
        : await proposeDatasheetUrls(
            ai,
            `manufacturerCode: ${draft.manufacturerCode}\nmanufacturer: ${draft.manufacturer ?? ""}\ndescription: ${draft.description ?? ""}`,
          );
    datasheet = await fetchFirstPdf(
      deps,
      urls,
      {
        id: payload.datasheetDocumentId,
        partId: null,
        draftExpiresAt: photo.draftExpiresAt ?? draftExpiry(),
        name: draft.manufacturerCode ?? "datasheet",
      },
      (fraction, label) => progress(0.6 + 0.4 * fraction, label),
    );
  }
  return {
    draft,
    documentIds: [photo.id, ...(datasheet.documentId ? [datasheet.documentId] : [])],
    datasheet,
  };
}
