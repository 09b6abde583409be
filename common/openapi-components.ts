/**
 * The reusable parts of the OpenAPI document: parameters, headers and responses, each named
 * after what API.md calls it. Schemas are in openapi-schemas.ts.
 */
import { limits } from "./limits.ts";
import { itemIdPattern, pageTokenPattern } from "./openapi-schemas.ts";

const schema = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const header = (name: keyof typeof headers) => ({ $ref: `#/components/headers/${name}` });

export const parameters = {
  ItemId: {
    name: "id",
    in: "path",
    required: true,
    description: "The item's id. One that is not a KSUID answers 404 without a database call.",
    schema: { type: "string", pattern: itemIdPattern },
  },
  Limit: {
    name: "limit",
    in: "query",
    description: "Page size: a decimal integer from 1 to 100, without sign or leading zeros.",
    schema: { type: "integer", minimum: 1, maximum: limits.pageSizeMax, default: 20 },
  },
  PageToken: {
    name: "lk",
    in: "query",
    description:
      "The opaque `lk` token of the previous page. The token is signed: a malformed, altered " +
      "or forged token, or one made by another deployment, answers 400.",
    schema: { type: "string", pattern: pageTokenPattern },
  },
  IdempotencyKey: {
    name: "Idempotency-Key",
    in: "header",
    description:
      "1 to 255 visible ASCII characters (any other value answers 400). A repeat of the key " +
      "with the same body within 24 hours answers as the first request did and creates " +
      "nothing; with another body it answers 422; while the first is in flight, 409. A retry " +
      "after a failure returns the item the failed attempt wrote, never a second one. With a " +
      "JWT authorizer, keys are the caller's own (issuer and subject).",
    schema: { type: "string", minLength: 1, maxLength: 255, pattern: "^[!-~]+$" },
  },
  IfMatch: {
    name: "If-Match",
    in: "header",
    description:
      '`"<version>"` (a list of them, or `*`): the write happens only at one of those ' +
      "versions, otherwise 412 (404 if there is no item). Weak tags never match.",
    schema: { type: "string" },
  },
  IfNoneMatch: {
    name: "If-None-Match",
    in: "header",
    description: "The `ETag` the client has (or `*`): 304 when it is still current.",
    schema: { type: "string" },
  },
} as const;

/**
 * Response headers. Whether a header is required is part of the component (OpenAPI 3.1 ignores
 * `required` written beside a `$ref`), so a header that is sometimes optional has two.
 */
export const headers = {
  RequestId: {
    description: "The request's id, also in its log line and in a problem's `requestId`.",
    required: true,
    schema: { type: "string", minLength: 1 },
  },
  RequestIdUnlessGateway: {
    description:
      "The request's id when a handler answered (as in `RequestId`); API Gateway's own answers " +
      "do not carry it.",
    required: false,
    schema: { type: "string", minLength: 1 },
  },
  ETag: {
    description: 'The item\'s version, quoted: a strong validator, `"<version>"`.',
    required: true,
    schema: { type: "string", pattern: '^"[1-9][0-9]*"$' },
  },
  Location: {
    description: "The path of the new item, `/{id}`.",
    required: true,
    schema: { type: "string", pattern: "^/[0-9A-Za-z]{27}$" },
  },
  Link: {
    description: 'The next page, when there is one: `</?lk=TOKEN&limit=N>; rel="next"`.',
    required: false,
    schema: { type: "string", pattern: '^<[^>]+>; rel="next"$' },
  },
  RetryAfter: {
    description: "Seconds to wait before retrying (when a handler answered).",
    required: false,
    schema: { type: "string", pattern: "^[0-9]+$" },
  },
  IdempotentReplayed: {
    description: "Present on an answer replayed for a repeated `Idempotency-Key`.",
    required: false,
    schema: { type: "string", const: "true" },
  },
} as const;

/** A handler's error: problem+json with the request id. */
const problem = (description: string, extraHeaders = {}) => ({
  description,
  headers: { "x-request-id": header("RequestId"), ...extraHeaders },
  content: { "application/problem+json": { schema: schema("Problem") } },
});

/** An error that the handler or API Gateway itself may answer: the id only from the handler. */
const problemOrGateway = (description: string, extraHeaders = {}) => ({
  description,
  headers: { "x-request-id": header("RequestIdUnlessGateway"), ...extraHeaders },
  content: {
    "application/problem+json": { schema: schema("Problem") },
    "application/json": { schema: schema("GatewayMessage") },
  },
});

export const responses = {
  ItemWithETag: {
    description: "The item.",
    headers: { "x-request-id": header("RequestId"), ETag: header("ETag") },
    content: { "application/json": { schema: schema("Item") } },
  },
  BadRequest: problem(
    "Bad Request: malformed JSON, not an object, wrong types, unknown fields, a bad `limit` or " +
      "`lk`, an invalid `Idempotency-Key`; `errors` lists every invalid field.",
  ),
  NotFound: problem("Not Found: no item has this id."),
  Conflict: problem("Conflict: a request with this `Idempotency-Key` is still in flight."),
  PreconditionFailed: problem("Precondition Failed: `If-Match` names no current version."),
  UnsupportedMediaType: problem("Unsupported Media Type: the body must be `application/json`."),
  UnprocessableContent: problem(
    "Unprocessable Content: this `Idempotency-Key` was used with another body in the last 24 hours.",
  ),
  ContentTooLarge: problemOrGateway(
    "Content Too Large: a body over 64 KiB (the handler), or over 10 MB (API Gateway).",
  ),
  TooManyRequests: {
    description:
      "Too Many Requests: over the stage's throttle (rate and burst), answered by API Gateway " +
      "without invoking a function.",
    content: { "application/json": { schema: schema("GatewayMessage") } },
  },
  InternalServerError: problemOrGateway(
    "An unexpected error, logged with its stack; the answer says nothing more.",
  ),
  ServiceUnavailable: problemOrGateway(
    "DynamoDB is throttling, timing out or unreachable (the handler, with `Retry-After`), or " +
      "the function did not answer in time (API Gateway).",
    { "Retry-After": header("RetryAfter") },
  ),
} as const;
