import { makePdf } from "./documents";

/** Size of the over-the-cap PDF: sent as it is generated, without a Content-Length. */
export const HUGE_PDF_BYTES = 60 * 1024 * 1024;

/**
 * A vendor site on loopback for datasheet discovery: a PDF, a 404, a bot check (HTML
 * answered 200 under a .pdf name) and a 60 MB PDF over the cap. Counts the bytes it sent
 * per path, so a test sees that the fetcher stopped reading.
 */
export function startDatasheetSite() {
  const pdf = makePdf(8192);
  const sent = new Map<string, number>();
  const count = (path: string, bytes: number) => sent.set(path, (sent.get(path) ?? 0) + bytes);
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const path = new URL(req.url).pathname;
      if (path === "/datasheets/g5q.pdf") {
        count(path, pdf.length);
        return new Response(pdf, { headers: { "Content-Type": "application/pdf" } });
      }
      if (path === "/botcheck/g5q.pdf") {
        return new Response("<!doctype html><title>Checking your browser</title>", {
          headers: { "Content-Type": "text/html" },
        });
      }
      if (path === "/huge/g5q.pdf") {
        let written = 0;
        const chunk = new Uint8Array(256 * 1024);
        const head = new TextEncoder().encode("%PDF-1.7\n");
        return new Response(
          new ReadableStream({
            pull(controller) {
              if (written >= HUGE_PDF_BYTES) return controller.close();
              const piece =
                written === 0 ? Uint8Array.from([...head, ...chunk.subarray(head.length)]) : chunk;
              written += piece.length;
              count(path, piece.length);
              controller.enqueue(piece);
            },
          }),
          { headers: { "Content-Type": "application/pdf" } },
        );
      }
      return new Response("not found", { status: 404 });
    },
  });
  const origin = `http://127.0.0.1:${server.port}`;
  return {
    origin,
    allowEntry: `127.0.0.1:${server.port}`,
    pdf,
    sent,
    url: (path: string) => `${origin}${path}`,
    stop: () => server.stop(true),
  };
}
