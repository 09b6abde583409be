/**
 * The OpenAPI 3.1 document of the whole API (docs/API.md): every operation, status and header,
 * with errors as problem+json. The local server serves it at /openapi.json (it is not deployed);
 * the tests hold it to the request schemas, to the OpenAPI 3.1 schema and, through schemathesis,
 * to what the API really answers; CI lints it with Redocly and Spectral. The operations are in
 * paths.ts, the components in components.ts and schemas.ts.
 */
import { headers, parameters, responses } from "./components.ts";
import { paths, ref } from "./paths.ts";
import { schemas } from "./schemas.ts";

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
