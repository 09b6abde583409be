/**
 * The OpenAPI document itself: valid OpenAPI 3.1 (the official schema, via
 * @seriousme/openapi-schema-validator), with and without a JWT issuer; one operation per route of
 * the route table; every status and header docs/API.md gives each route; and required headers
 * declared so in their components, where OpenAPI 3.1 reads it.
 */
import { Validator } from "@seriousme/openapi-schema-validator";
import test from "ava";
import { openApiDocument, openApiDocumentFor } from "../../common/openapi.ts";
import { routes } from "../../common/routes.ts";

type Json = Record<string, unknown>;
const doc = JSON.parse(JSON.stringify(openApiDocument)) as Json;
const issuer = "https://issuer.example.com/";
const routeScopes = { "POST /": ["items:write"], "DELETE /{id}": ["items:write", "items:admin"] };
const withJwt = JSON.parse(
  JSON.stringify(openApiDocumentFor({ jwt: { issuer, routeScopes } })),
) as Json;
const withJwtNoScopes = JSON.parse(JSON.stringify(openApiDocumentFor({ jwt: { issuer } }))) as Json;
const paths = doc.paths as Record<string, Record<string, Json>>;
const components = doc.components as Record<string, Record<string, Json>>;

/** Follows a local `$ref` (one level, as the document uses them). */
function deref(value: unknown): Json {
  const ref = (value as Json | undefined)?.$ref;
  if (typeof ref !== "string") return value as Json;
  const [, kind = "", name = ""] = /^#\/components\/([^/]+)\/([^/]+)$/.exec(ref) ?? [];
  const found = components[kind]?.[name];
  if (!found) throw new Error(`unresolved ${ref}`);
  return found;
}

const operationOf = (method: string, path: string) => {
  const operation = paths[path]?.[method.toLowerCase()];
  if (!operation) throw new Error(`no ${method} ${path}`);
  return operation;
};

test("is valid OpenAPI 3.1, with and without a JWT authorizer", async (t) => {
  t.deepEqual(await new Validator().validate(doc as never), { valid: true });
  t.deepEqual(await new Validator().validate(withJwt as never), { valid: true });
  t.deepEqual(await new Validator().validate(withJwtNoScopes as never), { valid: true });
  t.is(doc.openapi, "3.1.0");
});

test("without a JWT issuer, no operation requires authentication", (t) => {
  t.deepEqual(doc.security, []);
  t.is(components.securitySchemes, undefined);
  for (const item of Object.values(paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (method === "parameters") continue;
      t.is(operation.security, undefined);
      const statuses = Object.keys(operation.responses as Json);
      t.false(statuses.includes("401") || statuses.includes("403"), method);
    }
  }
});

test("with a JWT authorizer, every operation requires a bearer token and documents 401; 403 where a route needs a scope", (t) => {
  const jwtComponents = withJwt.components as Record<string, Record<string, Json>>;
  t.deepEqual(withJwt.security, [{ bearerAuth: [] }]);
  t.like(jwtComponents.securitySchemes?.bearerAuth, {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
  });
  t.true(String(jwtComponents.securitySchemes?.bearerAuth?.description).includes(issuer));
  const jwtPaths = withJwt.paths as Record<string, Record<string, Json>>;
  const seen: string[] = [];
  for (const [path, item] of Object.entries(jwtPaths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (method === "parameters") continue;
      const routeKey = `${method.toUpperCase()} ${path}`;
      seen.push(routeKey);
      const responses = operation.responses as Json;
      t.deepEqual(responses["401"], { $ref: "#/components/responses/Unauthorized" }, routeKey);
      t.truthy(responses["429"], routeKey);
      const scopes = routeScopes[routeKey as keyof typeof routeScopes];
      if (scopes === undefined) {
        t.is(operation.security, undefined, routeKey);
        t.is(responses["403"], undefined, routeKey);
      } else {
        // Any one of the route's scopes will do, as the description says.
        t.is(operation.security, undefined, routeKey);
        t.true(
          String(operation.description).endsWith(
            `Needs a token with the scope ${scopes.map((s) => `\`${s}\``).join(" or ")} (403 otherwise).`,
          ),
          routeKey,
        );
        t.deepEqual(responses["403"], { $ref: "#/components/responses/Forbidden" }, routeKey);
      }
    }
  }
  t.is(seen.length, routes.length);
  const unauthorized = jwtComponents.responses?.Unauthorized as Json;
  t.deepEqual(Object.keys(unauthorized.headers as Json), ["WWW-Authenticate"]);
  t.like(jwtComponents.headers?.WwwAuthenticate, { required: true });
  t.deepEqual(Object.keys(unauthorized.content as Json), ["application/json"]);
  // Without route scopes no operation can get a 403, and the document does not declare one.
  const noScopes = withJwtNoScopes.components as Record<string, Record<string, Json>>;
  t.is(noScopes.responses?.Forbidden, undefined);
  t.false(JSON.stringify(withJwtNoScopes.paths).includes('"403"'));
});

test("required headers are declared so in their components; nothing sits beside a $ref", (t) => {
  const siblings: string[] = [];
  const walk = (value: unknown, at: string): void => {
    if (value && typeof value === "object") {
      const keys = Object.keys(value);
      if (keys.includes("$ref") && keys.length > 1) siblings.push(at);
      for (const [key, v] of Object.entries(value)) walk(v, `${at}/${key}`);
    }
  };
  walk(withJwt, "#");
  t.deepEqual(siblings, []);
  const headers = components.headers as Record<string, Json>;
  for (const name of ["RequestId", "ETag", "Location"]) t.is(headers[name]?.required, true, name);
  for (const name of ["RequestIdUnlessGateway", "Link", "RetryAfter", "IdempotentReplayed"]) {
    t.is(headers[name]?.required, false, name);
  }
});

test("every $ref resolves", (t) => {
  const refs: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") {
      const ref = (value as Json).$ref;
      if (typeof ref === "string") refs.push(ref);
      Object.values(value).forEach(walk);
    }
  };
  walk(doc);
  t.true(refs.length > 30);
  for (const ref of refs) t.notThrows(() => deref({ $ref: ref }), ref);
});

test("has exactly one operation per route, named after its function", (t) => {
  const operations = Object.entries(paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((key) => key !== "parameters")
      .map((method) => `${method.toUpperCase()} ${path} ${item[method]?.operationId}`),
  );
  const expected = routes.map(
    (r) => `${r.method} ${r.path} ${r.name.replace(/-(.)/g, (_, c: string) => c.toUpperCase())}`,
  );
  t.deepEqual(operations.sort(), expected.sort());
});

// API.md's table, plus what any operation may answer: 500, 503 and API Gateway's 429.
const statuses: Record<string, number[]> = {
  "POST /": [201, 400, 409, 413, 415, 422],
  "GET /": [200, 400],
  "GET /{id}": [200, 304, 404],
  "PUT /{id}": [200, 400, 404, 412, 413, 415],
  "DELETE /{id}": [204, 404, 412],
};
for (const [key, expected] of Object.entries(statuses)) {
  test(`${key} documents exactly ${expected.join(", ")}, 429, 500 and 503`, (t) => {
    const [method = "", path = ""] = key.split(" ");
    const responses = operationOf(method, path).responses as Json;
    t.deepEqual(
      Object.keys(responses).map(Number).sort(),
      [...expected, 429, 500, 503].sort((a, b) => a - b),
    );
  });
}

test("every error a handler answers is problem+json with the Problem schema and x-request-id", (t) => {
  for (const item of Object.values(paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (method === "parameters") continue;
      for (const [status, response] of Object.entries(operation.responses as Json)) {
        if (Number(status) < 400 || status === "429") continue; // 429: API Gateway's
        const content = deref(response).content as Json;
        t.deepEqual(
          (content["application/problem+json"] as Json).schema,
          { $ref: "#/components/schemas/Problem" },
          `${method} ${status}`,
        );
        t.truthy((deref(response).headers as Json)["x-request-id"], `${method} ${status}`);
      }
    }
  }
});

const headersOf = (method: string, path: string, status: string) =>
  Object.keys((deref((operationOf(method, path).responses as Json)[status]).headers as Json) ?? {});
const parameterNames = (method: string, path: string) =>
  [
    ...((paths[path]?.parameters as unknown as Json[]) ?? []),
    ...((operationOf(method, path).parameters as Json[]) ?? []),
  ]
    .map((p) => `${deref(p).in}:${deref(p).name}`)
    .sort();

test("documents every header of API.md where it appears", (t) => {
  t.deepEqual(headersOf("POST", "/", "201").sort(), [
    "ETag",
    "Idempotent-Replayed",
    "Location",
    "x-request-id",
  ]);
  t.deepEqual(headersOf("GET", "/", "200").sort(), ["Link", "x-request-id"]);
  t.deepEqual(headersOf("GET", "/{id}", "200").sort(), ["ETag", "x-request-id"]);
  t.deepEqual(headersOf("GET", "/{id}", "304").sort(), ["ETag", "x-request-id"]);
  t.deepEqual(headersOf("PUT", "/{id}", "200").sort(), ["ETag", "x-request-id"]);
  t.deepEqual(headersOf("DELETE", "/{id}", "204"), ["x-request-id"]);
  t.deepEqual(headersOf("GET", "/", "503").sort(), ["Retry-After", "x-request-id"]);
  t.deepEqual(parameterNames("POST", "/"), ["header:Idempotency-Key"]);
  t.deepEqual(parameterNames("GET", "/"), ["query:limit", "query:lk"]);
  t.deepEqual(parameterNames("GET", "/{id}"), ["header:If-None-Match", "path:id"]);
  t.deepEqual(parameterNames("PUT", "/{id}"), ["header:If-Match", "path:id"]);
  t.deepEqual(parameterNames("DELETE", "/{id}"), ["header:If-Match", "path:id"]);
});

test("request bodies are required application/json of the superstruct schemas' names", (t) => {
  for (const [method, path, schema] of [
    ["POST", "/", "ItemInput"],
    ["PUT", "/{id}", "ItemReplacement"],
  ] as const) {
    t.deepEqual(operationOf(method, path).requestBody, {
      required: true,
      content: { "application/json": { schema: { $ref: `#/components/schemas/${schema}` } } },
    });
  }
});
