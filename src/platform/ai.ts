import type { z } from "@hono/zod-openapi";
import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from "openai";
import { ContentFilterFinishReasonError, LengthFinishReasonError } from "openai/error";
import { zodResponseFormat } from "openai/helpers/zod";
import type { Env } from "../env";
import { PermanentJobError } from "../lib/jobs";

/** One part of a user message: text, or an image as a `data:` (or http) URL. */
export type AiContent = { type: "text"; text: string } | { type: "image"; url: string };

export interface AiRequest<T> {
  /** Names the JSON schema sent to the model (letters, digits, `_`). */
  name: string;
  /** The answer's shape: sent as `response_format: json_schema`, checked on the way back. */
  schema: z.ZodType<T>;
  system: string;
  user: string | AiContent[];
  /** Use the vision model (a photo is part of the request). */
  vision?: boolean;
  signal?: AbortSignal;
}

/**
 * A structured-output chat model behind Chat Completions, the API that OpenAI and the
 * compatible servers (Ollama, vLLM, LocalAI) share. The SDK retries 408/409/429/5xx and
 * connection errors with backoff (`maxRetries`); what cannot get better by retrying (other
 * 4xx, a refusal, an answer that is not the asked-for JSON) is a PermanentJobError, so
 * the job fails at once with the reason. Its answer is only shaped here: every caller
 * still validates and normalises it like user input.
 */
export interface Ai {
  readonly model: string;
  readonly visionModel: string;
  complete<T>(request: AiRequest<T>): Promise<T>;
}

type ResponseFormat = ReturnType<typeof zodResponseFormat>;
const responseFormats = new WeakMap<object, Map<string, ResponseFormat>>();

/** The JSON schema of a zod schema, converted once (the conversion costs more than a request). */
function responseFormatOf(schema: z.ZodType, name: string): ResponseFormat {
  let byName = responseFormats.get(schema);
  if (!byName) {
    byName = new Map();
    responseFormats.set(schema, byName);
  }
  let format = byName.get(name);
  if (!format) {
    format = zodResponseFormat(schema, name);
    byName.set(name, format);
  }
  return format;
}

/** The adapter, or undefined when no API key is configured (AI endpoints then answer 503). */
export function createAi(env: Env): Ai | undefined {
  if (!env.OPENAI_API_KEY) return undefined;
  const client = new OpenAI({
    apiKey: env.OPENAI_API_KEY,
    baseURL: env.OPENAI_BASE_URL,
    timeout: env.OPENAI_TIMEOUT_MS,
    maxRetries: env.OPENAI_MAX_RETRIES,
  });
  const model = env.OPENAI_MODEL;
  const visionModel = env.OPENAI_VISION_MODEL ?? model;
  return {
    model,
    visionModel,
    async complete<T>(request: AiRequest<T>): Promise<T> {
      const user =
        typeof request.user === "string"
          ? request.user
          : request.user.map((part) =>
              part.type === "text"
                ? { type: "text" as const, text: part.text }
                : { type: "image_url" as const, image_url: { url: part.url } },
            );
      let completion: Awaited<ReturnType<typeof client.chat.completions.parse>>;
      try {
        completion = await client.chat.completions.parse(
          {
            model: request.vision ? visionModel : model,
            messages: [
              { role: "system", content: request.system },
              { role: "user", content: user },
            ],
            response_format: responseFormatOf(request.schema, request.name),
          },
          { signal: request.signal },
        );
      } catch (error) {
        throw classifyAiError(error);
      }
      const message = completion.choices[0]?.message;
      if (!message) throw new PermanentJobError("The AI model answered no choices.");
      if (message.refusal) {
        throw new PermanentJobError(`The AI model refused: ${clip(message.refusal)}`);
      }
      if (message.parsed == null) {
        throw new PermanentJobError("The AI model's answer was empty.");
      }
      return message.parsed as T;
    },
  };
}

/** Retryable errors are returned as they are; the rest become PermanentJobError. */
export function classifyAiError(error: unknown): Error {
  if (error instanceof APIUserAbortError) return error;
  if (error instanceof APIConnectionError) {
    return new Error(`The AI service could not be reached: ${error.message}`, { cause: error });
  }
  if (error instanceof APIError) {
    const status = error.status ?? 0;
    const detail = `The AI service answered ${status}: ${clip(error.message)}`;
    // The SDK already retried these with backoff; the job's own retries may still succeed.
    if (status === 408 || status === 409 || status === 429 || status >= 500) {
      return new Error(detail, { cause: error });
    }
    return new PermanentJobError(detail, { cause: error });
  }
  if (error instanceof LengthFinishReasonError) {
    return new PermanentJobError("The AI model's answer was cut off at its token limit.");
  }
  if (error instanceof ContentFilterFinishReasonError) {
    return new PermanentJobError("The AI model's answer was withheld by its content filter.");
  }
  // Parsing: malformed JSON (SyntaxError) or JSON of another shape (ZodError).
  const message = describeIssues(error) ?? (error instanceof Error ? error.message : String(error));
  return new PermanentJobError(
    `The AI model's answer was not the expected JSON: ${clip(message)}`,
    { cause: error },
  );
}

/** A zod error as "tags: expected array; type: required" rather than its JSON. */
function describeIssues(error: unknown): string | undefined {
  const issues = (error as { issues?: unknown }).issues;
  if (!Array.isArray(issues)) return undefined;
  return issues
    .map((issue: { path?: PropertyKey[]; message?: string }) => {
      const path = issue.path?.map(String).join(".") || "(answer)";
      return `${path}: ${issue.message ?? "invalid"}`;
    })
    .join("; ");
}

const clip = (text: string, max = 300) => (text.length > max ? `${text.slice(0, max)}…` : text);
