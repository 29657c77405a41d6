import Ajv from "ajv";

/**
 * An OpenAI-compatible Chat Completions server on loopback, so the real SDK runs against
 * it. Answers are scripted per response-format name (`part_analysis`, `datasheet_urls`,
 * `part_photo`): queued answers first, then the name's default. A JSON answer is checked
 * against the `json_schema` the client sent (a test whose answer breaks the schema gets a
 * 500 naming the mismatch, so a drifting schema cannot pass unnoticed).
 */
export interface FakeAnswer {
  /** The assistant's JSON answer (serialised), or `raw` text that may not be JSON. */
  json?: unknown;
  raw?: string;
  refusal?: string;
  /** An HTTP error instead of a completion, e.g. 429 or 400. */
  status?: number;
  finishReason?: "stop" | "length" | "content_filter";
  /** Answer this much later (on top of the server's latency). */
  delayMs?: number;
}

export interface ChatRequest {
  model: string;
  messages: {
    role: string;
    content: string | { type: string; text?: string; image_url?: { url: string } }[];
  }[];
  response_format?: {
    type: string;
    json_schema?: { name: string; strict?: boolean; schema: Record<string, unknown> };
  };
}

export interface FakeOpenAi {
  /** The base URL for OPENAI_BASE_URL (ends in /v1). */
  url: string;
  /** Every request received, in order. */
  requests: ChatRequest[];
  /** Milliseconds from each completion request's arrival to its answer, in order. */
  servedMs: number[];
  /** Queues answers for a schema name, used before its default. */
  queue(name: string, ...answers: FakeAnswer[]): void;
  /** The answer for a schema name when nothing is queued. */
  setDefault(name: string, answer: FakeAnswer | ((request: ChatRequest) => FakeAnswer)): void;
  /** Requests whose response format had this name. */
  requestsFor(name: string): ChatRequest[];
  close(): Promise<void>;
}

const ajv = new Ajv({ strict: false, allErrors: true });
const validators = new Map<string, ReturnType<typeof ajv.compile>>();

/** Compiled once per schema: compiling costs milliseconds, which a bench would count. */
function validatorOf(schema: Record<string, unknown>) {
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(key, validate);
  }
  return validate;
}

export function startFakeOpenAi(options: { latencyMs?: number } = {}): FakeOpenAi {
  const queues = new Map<string, FakeAnswer[]>();
  const defaults = new Map<string, FakeAnswer | ((request: ChatRequest) => FakeAnswer)>();
  const requests: ChatRequest[] = [];
  const servedMs: number[] = [];
  let completions = 0;

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const arrived = performance.now();
      const answer = await respond(req);
      servedMs.push(performance.now() - arrived);
      return answer;
    },
  });

  async function respond(req: Request): Promise<Response> {
    const path = new URL(req.url).pathname;
    if (req.method !== "POST" || path !== "/v1/chat/completions") {
      return Response.json({ error: { message: `no route ${path}` } }, { status: 404 });
    }
    if (req.headers.get("authorization") !== "Bearer test") {
      return Response.json({ error: { message: "bad key" } }, { status: 401 });
    }
    const body = (await req.json()) as ChatRequest;
    requests.push(body);
    if (options.latencyMs) await Bun.sleep(options.latencyMs);
    const format = body.response_format;
    const name = format?.json_schema?.name;
    if (format?.type !== "json_schema" || !name || !format.json_schema?.schema) {
      return Response.json(
        { error: { message: "expected response_format json_schema" } },
        { status: 400 },
      );
    }
    const scripted = queues.get(name)?.shift() ?? defaults.get(name);
    if (!scripted) {
      return Response.json({ error: { message: `no answer for ${name}` } }, { status: 500 });
    }
    const answer = typeof scripted === "function" ? scripted(body) : scripted;
    if (answer.delayMs) await Bun.sleep(answer.delayMs);
    if (answer.status) {
      return Response.json(
        { error: { message: `scripted ${answer.status}`, type: "fake" } },
        { status: answer.status, headers: { "retry-after-ms": "10" } },
      );
    }
    let content: string | null = answer.raw ?? null;
    if (answer.json !== undefined) {
      const validate = validatorOf(format.json_schema.schema);
      if (!validate(answer.json)) {
        const message = `scripted answer breaks the schema: ${ajv.errorsText(validate.errors)}`;
        return Response.json({ error: { message } }, { status: 500 });
      }
      content = JSON.stringify(answer.json);
    }
    return Response.json({
      id: `chatcmpl-${++completions}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [
        {
          index: 0,
          finish_reason: answer.finishReason ?? "stop",
          message: {
            role: "assistant",
            content: answer.refusal ? null : content,
            refusal: answer.refusal ?? null,
          },
        },
      ],
      usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
    });
  }

  return {
    url: `http://127.0.0.1:${server.port}/v1`,
    requests,
    servedMs,
    queue(name, ...answers) {
      queues.set(name, [...(queues.get(name) ?? []), ...answers]);
    },
    setDefault(name, answer) {
      defaults.set(name, answer);
    },
    requestsFor(name) {
      return requests.filter((request) => request.response_format?.json_schema?.name === name);
    },
    async close() {
      await server.stop(true);
    },
  };
}

/** The image URLs (data: URLs) a request carried. */
export function imagesOf(request: ChatRequest): string[] {
  return request.messages.flatMap((message) =>
    typeof message.content === "string"
      ? []
      : message.content.flatMap((part) => (part.image_url ? [part.image_url.url] : [])),
  );
}
