// The parts inventory SDK: openapi-fetch over the types generated from openapi/openapi.json
// (src/schema.ts). Paths, parameters, bodies and answers are all typed by the document;
// this file only builds the client.
import createClient, { type Client, type ClientOptions } from "openapi-fetch";
import type { paths } from "./schema";

export type { components, operations, paths } from "./schema";

export interface InventoryClientOptions extends ClientOptions {
  /** The server's API_TOKEN, sent as `Authorization: Bearer <token>` when given. */
  token?: string;
}

/** A typed client: `client.GET("/api/v1/parts/{partId}", { params: { path: { partId } } })`. */
export function createInventoryClient<Paths extends {} = paths>({
  token,
  ...options
}: InventoryClientOptions = {}) {
  const client = createClient<Paths>(options);
  if (token) {
    client.use({
      onRequest({ request }) {
        request.headers.set("Authorization", `Bearer ${token}`);
        return request;
      },
    });
  }
  return client;
}

export type InventoryClient<Paths extends {} = paths> = Client<Paths>;

/**
 * `bodySerializer` for multipart operations (document uploads): every field becomes a form
 * part, a Blob or File as a file (pass a File to keep its name). fetch sets the boundary.
 */
export function multipart(body: Record<string, string | Blob | null | undefined>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(body)) {
    if (value !== undefined && value !== null) form.append(name, value);
  }
  return form;
}
