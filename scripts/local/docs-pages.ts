/**
 * The local server's own pages, which are not part of the API and are never deployed: the
 * OpenAPI document at /openapi.json, an interactive docs page (Swagger UI, served from the
 * swagger-ui-dist package, nothing fetched from elsewhere) at /docs, and the contract the document
 * links to, docs/API.md, at /docs/API.md. They are answered before the gateway sees the request;
 * every other path still gets the gateway's answers, 404 included.
 */
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { type DocumentSettings, openApiDocumentFor } from "../../common/openapi.ts";

/** The paths served here, for the banner and the docs. */
export const docsPaths = {
  document: "/openapi.json",
  page: "/docs",
  contract: "/docs/API.md",
} as const;

const contractFile = new URL("../../docs/API.md", import.meta.url);

const swaggerUiDir = path.dirname(
  createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"),
);

// Only these files of the package, by exact path: nothing else on disk can be reached.
const packageFiles: Record<string, string> = {
  "/docs/swagger-ui.css": "text/css; charset=utf-8",
  "/docs/swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "/docs/favicon-32x32.png": "image/png",
};

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>items-api: API docs (local)</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/start.js"></script>
</body>
</html>
`;

// No validator badge (it would send the document to an outside service), no URL bar. A token
// given to "Authorize" is kept across reloads (in this browser's local storage).
const startScript = `window.ui = SwaggerUIBundle({
  url: "${docsPaths.document}",
  dom_id: "#swagger-ui",
  deepLinking: true,
  displayRequestDuration: true,
  persistAuthorization: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
});
`;

interface Page {
  readonly type: string;
  readonly body: (gateway: DocumentSettings) => Promise<string | Buffer>;
}

const pages: Record<string, Page> = {
  [docsPaths.document]: {
    type: "application/json",
    body: async (gateway) => JSON.stringify(openApiDocumentFor(gateway), null, 2),
  },
  // Plain text, so a browser shows the Markdown rather than downloading it.
  [docsPaths.contract]: { type: "text/plain; charset=utf-8", body: () => readFile(contractFile) },
  [docsPaths.page]: { type: "text/html; charset=utf-8", body: async () => page },
  "/docs/start.js": { type: "text/javascript; charset=utf-8", body: async () => startScript },
  ...Object.fromEntries(
    Object.entries(packageFiles).map(([file, type]) => [
      file,
      { type, body: () => readFile(path.join(swaggerUiDir, path.basename(file))) },
    ]),
  ),
};

/**
 * The status this answered with, or undefined when the request is not for these pages. `gateway`
 * is what the gateway enforces: with a JWT authorizer, the document declares bearer
 * authentication (and "Try it out" can send a token).
 */
export async function serveDocsPage(
  req: IncomingMessage,
  res: ServerResponse,
  gateway: DocumentSettings = {},
): Promise<number | undefined> {
  const method = req.method ?? "GET";
  const pathname = new URL(req.url ?? "/", "http://local").pathname;
  const found = Object.hasOwn(pages, pathname) ? pages[pathname] : undefined;
  if (found === undefined || (method !== "GET" && method !== "HEAD")) return undefined;
  const body = await found.body(gateway);
  res.writeHead(200, {
    "content-type": found.type,
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-cache",
  });
  res.end(method === "HEAD" ? undefined : body);
  return 200;
}
