// Writes openapi/openapi.json from the route definitions: `bun run openapi [--check]`.
import { buildOpenApiDocument } from "../lib/openapi-document";
import { createDocumentApp } from "./openapi-app";

const target = new URL("../../openapi/openapi.json", import.meta.url);

const document = buildOpenApiDocument(createDocumentApp());
const text = `${JSON.stringify(document, null, 2)}\n`;

if (process.argv.includes("--check")) {
  const current = await Bun.file(target)
    .text()
    .catch(() => "");
  if (current !== text) {
    console.error("openapi/openapi.json is stale: run `bun run openapi` and commit it.");
    process.exit(1);
  }
  console.log("openapi/openapi.json is up to date");
} else {
  await Bun.write(target, text);
  console.log(`wrote ${target.pathname}`);
}
