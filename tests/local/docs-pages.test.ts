/**
 * The local server's own pages: /openapi.json (the document, exactly, with bearer authentication
 * when the gateway runs a JWT authorizer), /docs (Swagger UI from swagger-ui-dist) and its few assets, and the
 * contract, /docs/API.md; nothing else is served from disk, and every other path still gets the
 * gateway's answers. Also: only a function granted the idempotency table is told its name, as
 * deployed.
 */
import { readFile } from "node:fs/promises";
import test from "ava";
import { openApiDocument, openApiDocumentFor } from "../../common/openapi.ts";
import type { EchoAnswer } from "./fixture-server.ts";
import {
  type FixtureServer,
  fixtureBundlePathOf,
  jsonOf,
  startFixtureServer,
} from "./fixture-server.ts";

let server: FixtureServer;
test.before(async () => {
  server = await startFixtureServer({
    routes: [
      { method: "GET", path: "/echo", name: "echo" },
      {
        method: "GET",
        path: "/granted",
        name: "granted",
        idempotencyTableActions: ["dynamodb:PutItem"],
      },
    ],
    bundlePathOf: (name) => fixtureBundlePathOf(name === "granted" ? "echo" : name),
  });
});
test.after.always(async () => {
  await server?.close();
});

const get = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);

test("serves the OpenAPI document at /openapi.json, exactly", async (t) => {
  const response = await get("/openapi.json");
  t.is(response.status, 200);
  t.is(response.headers.get("content-type"), "application/json");
  t.deepEqual(await response.json(), JSON.parse(JSON.stringify(openApiDocument)));
});

test("declares bearer authentication in /openapi.json when the gateway runs a JWT authorizer", async (t) => {
  const jwt = {
    issuer: "https://issuer.example.com/",
    audience: ["items-api"],
    routeScopes: { "POST /": ["items:write"] },
  };
  const withJwt = await startFixtureServer({
    routes: [{ method: "GET", path: "/echo", name: "echo" }],
    gateway: { jwt },
  });
  try {
    const response = await fetch(`${withJwt.url}/openapi.json`);
    t.is(response.status, 200);
    const document = (await response.json()) as { security: unknown };
    t.deepEqual(document, JSON.parse(JSON.stringify(openApiDocumentFor({ jwt }))));
    t.deepEqual(document.security, [{ bearerAuth: [] }]);
  } finally {
    await withJwt.close();
  }
});

test("serves the contract the document links to, docs/API.md, at /docs/API.md", async (t) => {
  const response = await get("/docs/API.md");
  t.is(response.status, 200);
  t.is(response.headers.get("content-type"), "text/plain; charset=utf-8");
  t.is(
    await response.text(),
    await readFile(new URL("../../docs/API.md", import.meta.url), "utf8"),
  );
  t.regex(openApiDocument.info.description, /\[docs\/API\.md\]\(\/docs\/API\.md\)/);
});

test("serves the docs page at /docs, pointing at /openapi.json, with its assets", async (t) => {
  const page = await get("/docs");
  t.is(page.status, 200);
  t.regex(page.headers.get("content-type") ?? "", /^text\/html/);
  const html = await page.text();
  const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? "");
  t.deepEqual(assets.sort(), [
    "/docs/favicon-32x32.png",
    "/docs/start.js",
    "/docs/swagger-ui-bundle.js",
    "/docs/swagger-ui.css",
  ]);
  for (const asset of assets) t.is((await get(asset)).status, 200, asset);
  t.regex(
    await (await get("/docs/start.js")).text(),
    /url: "\/openapi\.json"[\s\S]*persistAuthorization: true,[\s\S]*validatorUrl: null/,
  );
  t.is((await get("/docs", { method: "HEAD" })).status, 200);
});

test("every other path is the gateway's: 404 {message}, nothing else read from disk", async (t) => {
  for (const path of [
    "/docs/",
    "/docs/index.html",
    "/docs/package.json",
    "/docs/..%2Fpackage.json",
    "/openapi.yaml",
    "/swagger-ui.css",
  ]) {
    const response = await get(path);
    t.is(response.status, 404, path);
    t.is(await response.text(), '{"message":"Not Found"}', path);
  }
  t.is((await get("/docs", { method: "POST", body: "x" })).status, 404);
  t.is((await get("/openapi.json", { method: "DELETE" })).status, 404);
});

test("only a function granted the idempotency table gets IDEMPOTENCY_TABLE_NAME", async (t) => {
  const echo = await jsonOf<EchoAnswer>(await get("/echo"));
  const granted = await jsonOf<EchoAnswer>(await get("/granted"));
  t.is(echo.env.IDEMPOTENCY_TABLE_NAME, null);
  t.is(granted.env.IDEMPOTENCY_TABLE_NAME, `${server.tableName}-idempotency`);
  t.is(server.idempotencyTableName, `${server.tableName}-idempotency`);
});
