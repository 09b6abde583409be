/**
 * The OpenAPI 3.1 document of the whole API (docs/API.md): every operation, status and header,
 * with errors as problem+json. The local server serves it at /openapi.json (it is not deployed);
 * the tests hold it to the request schemas, to the OpenAPI 3.1 schema and, through schemathesis,
 * to what the API really answers; CI lints it with Redocly and Spectral. Components live in
 * openapi-components.ts.
 */
import { headers, parameters, responses } from "./openapi-components.ts";
import { schemas } from "./openapi-schemas.ts";
import { routes } from "./routes.ts";

const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` });
const json = (schema: string) => ({ "application/json": { schema: ref("schemas", schema) } });
const fromHandler = { "x-request-id": ref("headers", "RequestId") };

/** Answers any operation can get: its own 500 and 503, API Gateway's 429. */
const always = {
  "429": ref("responses", "TooManyRequests"),
  "500": ref("responses", "InternalServerError"),
  "503": ref("responses", "ServiceUnavailable"),
};

// What a client does next with the item it created (schemathesis follows these too).
const id = "$response.body#/id";
const ifMatch = "$response.header.ETag";
const itemLinks = {
  GetItem: { operationId: "getItem", parameters: { "path.id": id } },
  UpdateItem: {
    operationId: "updateItem",
    parameters: { "path.id": id, "header.If-Match": ifMatch },
  },
  DeleteItem: {
    operationId: "deleteItem",
    parameters: { "path.id": id, "header.If-Match": ifMatch },
  },
};

// operationId is the function's name in the route table, so the two cannot drift apart.
const operationIdOf = (method: string, path: string) => {
  const route = routes.find((r) => r.method === method && r.path === path);
  if (!route) throw new Error(`no route ${method} ${path}`);
  return route.name.replace(/-(.)/g, (_, letter: string) => letter.toUpperCase());
};

const paths = {
  "/": {
    post: {
      operationId: operationIdOf("POST", "/"),
      tags: ["items"],
      summary: "Create an item",
      description:
        "Creates an item under a fresh id; never overwrites. With `Idempotency-Key`, a repeat " +
        "of the same request within 24 hours answers as the first did and creates nothing.",
      parameters: [ref("parameters", "IdempotencyKey")],
      requestBody: { required: true, content: json("ItemInput") },
      responses: {
        "201": {
          description: "Created: the item. A replay answers exactly as the first request did.",
          headers: {
            ...fromHandler,
            ETag: ref("headers", "ETag"),
            Location: ref("headers", "Location"),
            "Idempotent-Replayed": ref("headers", "IdempotentReplayed"),
          },
          content: json("Item"),
          links: itemLinks,
        },
        "400": ref("responses", "BadRequest"),
        "409": ref("responses", "Conflict"),
        "413": ref("responses", "ContentTooLarge"),
        "415": ref("responses", "UnsupportedMediaType"),
        "422": ref("responses", "UnprocessableContent"),
        ...always,
      },
    },
    get: {
      operationId: operationIdOf("GET", "/"),
      tags: ["items"],
      summary: "List a page of items",
      description:
        "Items in the table's scan order. Walking the pages from the first to `lk: null` " +
        "yields every item that existed for the whole walk exactly once.",
      parameters: [ref("parameters", "Limit"), ref("parameters", "PageToken")],
      responses: {
        "200": {
          description: "A page of items, and the token of the next page (null on the last).",
          headers: { ...fromHandler, Link: ref("headers", "Link") },
          content: json("ItemsPage"),
        },
        "400": ref("responses", "BadRequest"),
        ...always,
      },
    },
  },
  "/{id}": {
    parameters: [ref("parameters", "ItemId")],
    get: {
      operationId: operationIdOf("GET", "/{id}"),
      tags: ["items"],
      summary: "Read an item",
      description:
        "The item, with its `ETag`. `If-None-Match` naming the current version answers 304 " +
        "without a body. An id that is not a KSUID answers 404 without reading the table.",
      parameters: [ref("parameters", "IfNoneMatch")],
      responses: {
        "200": ref("responses", "ItemWithETag"),
        "304": {
          description: "Not Modified: `If-None-Match` names the current version.",
          headers: { ...fromHandler, ETag: ref("headers", "ETag") },
        },
        "404": ref("responses", "NotFound"),
        ...always,
      },
    },
    put: {
      operationId: operationIdOf("PUT", "/{id}"),
      tags: ["items"],
      summary: "Replace an item's name and description",
      description:
        "Replaces both fields, bumps `version` and `updatedAt`, in one conditional write. " +
        "Never creates: a missing item is 404. The body may be the item as `GET /{id}` " +
        "returned it, with changes: its timestamps are ignored and its `version` is a " +
        "precondition like `If-Match`.",
      parameters: [ref("parameters", "IfMatch")],
      requestBody: { required: true, content: json("ItemReplacement") },
      responses: {
        "200": ref("responses", "ItemWithETag"),
        "400": ref("responses", "BadRequest"),
        "404": ref("responses", "NotFound"),
        "412": ref("responses", "PreconditionFailed"),
        "413": ref("responses", "ContentTooLarge"),
        "415": ref("responses", "UnsupportedMediaType"),
        ...always,
      },
    },
    delete: {
      operationId: operationIdOf("DELETE", "/{id}"),
      tags: ["items"],
      summary: "Delete an item",
      description:
        "Deletes the item in one conditional write: 204 when it existed, 404 when it did not. " +
        "With `If-Match`, only at a version the header names (412 otherwise; the item stays).",
      parameters: [ref("parameters", "IfMatch")],
      responses: {
        "204": { description: "Deleted.", headers: fromHandler },
        "404": ref("responses", "NotFound"),
        "412": ref("responses", "PreconditionFailed"),
        ...always,
      },
    },
  },
};

/**
 * What the document depends on: the JWT authorizer API Gateway runs, if any (its issuer, and per
 * route key such as `POST /` the scopes of which a token needs one).
 */
export interface DocumentSettings {
  readonly jwt?:
    | {
        readonly issuer: string;
        readonly routeScopes?: Readonly<Record<string, readonly string[]>>;
      }
    | undefined;
}

type Operations = Record<string, Record<string, unknown>>;

/** Every operation given `change(operation, routeKey)`'s fields. */
function withOperations(
  change: (operation: Record<string, unknown>, routeKey: string) => Record<string, unknown>,
): typeof paths {
  const entries = Object.entries(paths).map(([path, item]) => [
    path,
    Object.fromEntries(
      Object.entries(item as Operations).map(([key, operation]) =>
        key === "parameters"
          ? [key, operation]
          : [key, { ...operation, ...change(operation, `${key.toUpperCase()} ${path}`) }],
      ),
    ),
  ]);
  return Object.fromEntries(entries) as typeof paths;
}

/**
 * The document, as served at /openapi.json. With a JWT authorizer, every operation requires a
 * bearer token and may get API Gateway's 401, and one that requires scopes, its 403; without
 * one, no operation requires anything.
 */
export function openApiDocumentFor(settings: DocumentSettings = {}) {
  const auth = settings.jwt && bearerAuth(settings.jwt.issuer, settings.jwt.routeScopes ?? {});
  return {
    openapi: "3.1.0",
    info: {
      title: "items-api",
      version: "1.0.0",
      summary: "A CRUD API of items: API Gateway HTTP API, Lambda and DynamoDB.",
      description:
        "The contract, in full, is [docs/API.md](/docs/API.md) in the project, which `npm start` " +
        "serves next to this document. Any other method or path gets API Gateway's own 404, " +
        '`{"message":"Not Found"}`. Every answer of a handler carries `x-request-id`, also ' +
        "in that request's log line; errors are `application/problem+json` (RFC 9457).",
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: "/", description: "The API this document is served by" }],
    tags: [
      { name: "items", description: "The item resource: create, list, read, replace, delete." },
    ],
    security: auth === undefined ? [] : [{ bearerAuth: [] }],
    paths: auth === undefined ? paths : auth.paths,
    components: {
      schemas,
      parameters,
      headers: { ...headers, ...auth?.headers },
      responses: { ...responses, ...auth?.responses },
      ...(auth && { securitySchemes: auth.securitySchemes }),
    },
  } as const;
}

/** The bearer scheme of a JWT authorizer, and API Gateway's own 401 and 403 answers. */
function bearerAuth(issuer: string, routeScopes: Readonly<Record<string, readonly string[]>>) {
  const gatewayMessage = (description: string, extra = {}) => ({
    description,
    ...extra,
    content: { "application/json": { schema: ref("schemas", "GatewayMessage") } },
  });
  const scoped = Object.values(routeScopes).some((scopes) => scopes.length > 0);
  return {
    securitySchemes: {
      bearerAuth: {
        type: "http",
        scheme: "bearer",
        bearerFormat: "JWT",
        description:
          `A JWT from ${issuer}, in \`Authorization\` (\`Bearer \` optional). API Gateway checks ` +
          "its signature against the issuer's keys, its issuer, audience and lifetime, and the " +
          "scopes a route requires (`scope` or `scp`), before any function runs.",
      },
    },
    headers: {
      WwwAuthenticate: {
        description: 'Why the token was refused: `Bearer scope="" error="invalid_token" ...`.',
        required: true,
        schema: { type: "string", pattern: "^Bearer " },
      },
    },
    responses: {
      Unauthorized: gatewayMessage(
        'Unauthorized: no token, or one API Gateway refuses; `{"message":"Unauthorized"}`.',
        { headers: { "WWW-Authenticate": ref("headers", "WwwAuthenticate") } },
      ),
      ...(scoped && {
        Forbidden: gatewayMessage(
          "Forbidden: a valid token without a scope this operation requires; " +
            '`{"message":"Forbidden"}`.',
        ),
      }),
    },
    // A route with scopes takes a token with any one of them. Said in words: an HTTP bearer
    // scheme has no scopes of its own to list in a security requirement.
    paths: withOperations((operation, routeKey) => {
      const scopes = routeScopes[routeKey] ?? [];
      const responses = {
        ...(operation.responses as object),
        "401": ref("responses", "Unauthorized"),
      };
      if (scopes.length === 0) return { responses };
      const needed = scopes.map((scope) => `\`${scope}\``).join(" or ");
      return {
        description: `${operation.description} Needs a token with the scope ${needed} (403 otherwise).`,
        responses: { ...responses, "403": ref("responses", "Forbidden") },
      };
    }),
  };
}

/** The document without an authorizer: what the tests hold the answers to. */
export const openApiDocument = openApiDocumentFor();
