/**
 * The JSON Schemas (2020-12, as OpenAPI 3.1 uses them) of the API's bodies. The request schemas
 * say exactly what common/schemas.ts accepts: tests/unit/openapi-agreement.test.ts feeds one
 * corpus of payloads to both and demands the same verdicts. Numbers come from common/limits.ts.
 */
import { limits } from "./limits.ts";

// Character classes as regular-expression source, valid in ECMA-262 (the `u` flag, which ajv
// uses), Python's `re` and Rust's regex (schemathesis generates with the one, validates with the
// other): explicit \u escapes, no \s, no astral escapes, no surrogates.
// What String.prototype.trim() removes, minus the control characters a name cannot hold.
const trimmedSpace = String.raw`\u0020\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff`;
const controls = String.raw`\u0000-\u001f\u007f`;
const nameCharacter = `[^${controls}]`;
const nameEdge = `[^${controls}${trimmedSpace}]`;
const edgeSpace = `[${trimmedSpace}]`;

/**
 * No lone surrogate (a `\ud800` escape with no partner): with the `u` flag a paired surrogate is
 * one code point, so only lone ones are refused. A rule of its own, because Rust's regex cannot
 * spell a surrogate at all: schemathesis drops it (and, generating no surrogates, loses nothing).
 */
const wellFormed = { allOf: [{ pattern: String.raw`^[^\ud800-\udfff]*$` }] };

/** 1 to 200 code points once trimmed: an edge character, up to 198 more, another edge. */
export const namePattern = `^${edgeSpace}*${nameEdge}(?:${nameCharacter}{0,${limits.nameMaxLength - 2}}${nameEdge})?${edgeSpace}*$`;

/** Any text but control characters other than tab, line feed and carriage return. */
export const descriptionPattern = String.raw`^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$`;

export const itemIdPattern = "^[0-9A-Za-z]{27}$";
/** URL-safe; the length is not part of the contract (the token is opaque). */
export const pageTokenPattern = "^[A-Za-z0-9_-]+$";
const timestampPattern = String.raw`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$`;

const Name = {
  type: "string",
  pattern: namePattern,
  ...wellFormed,
  description:
    "1 to 200 characters (Unicode code points) once surrounding white space is trimmed, which " +
    "it is before storing. No control characters (U+0000 to U+001F, U+007F), no lone surrogates.",
  examples: ["milk"],
};

const Description = {
  type: "string",
  maxLength: limits.descriptionMaxLength,
  pattern: descriptionPattern,
  ...wellFormed,
  description:
    "0 to 2,000 characters (code points), kept exactly as sent. No control characters other " +
    "than tab, line feed and carriage return; no lone surrogates.",
  examples: ["two litres"],
};

const ItemId = {
  type: "string",
  pattern: itemIdPattern,
  description: "A KSUID: 27 characters of [0-9A-Za-z], assigned by the server.",
  examples: ["2zZyQ3nmbqxsHDjGJN1Ffpm4sbE"],
};

const Timestamp = {
  type: "string",
  format: "date-time",
  pattern: timestampPattern,
  description: "RFC 3339, UTC, with milliseconds.",
};

/** `createdAt` or `updatedAt` sent back in a `PUT` body: any string, ignored. */
const ignoredTimestamp = {
  type: "string",
  readOnly: true,
  description: "Accepted and ignored: the server sets it.",
};

/** Component schemas, referenced as `#/components/schemas/<name>`. */
export const schemas = {
  ItemInput: {
    type: "object",
    description: "The body of `POST /`. Unknown fields are refused (400).",
    properties: { name: Name, description: Description },
    required: ["name", "description"],
    additionalProperties: false,
  },
  ItemReplacement: {
    type: "object",
    description:
      "The body of `PUT /{id}`: `name` and `description` are replaced. It may be the item as " +
      "`GET /{id}` returned it, with changes: `createdAt` and `updatedAt` are ignored, `version` " +
      "is a precondition like `If-Match`, and an `id` must equal the id in the path (400 " +
      "otherwise; a rule across path and body that a schema cannot state). Any other field is " +
      "refused (400).",
    // readOnly: the server owns these; a client may send back what it read, never needs to.
    properties: {
      id: { ...ItemId, readOnly: true },
      name: Name,
      description: Description,
      createdAt: ignoredTimestamp,
      updatedAt: ignoredTimestamp,
      version: {
        type: "integer",
        minimum: 1,
        maximum: Number.MAX_SAFE_INTEGER,
        readOnly: true,
        description:
          "The version the client read. When sent, the write happens only at this version, as " +
          'with `If-Match: "<version>"`: 412 when the item is at another one; 400 when an ' +
          "`If-Match` header in the same request names other versions.",
      },
    },
    required: ["name", "description"],
    additionalProperties: false,
  },
  Item: {
    type: "object",
    properties: {
      id: ItemId,
      name: { type: "string", minLength: 1, maxLength: limits.nameMaxLength },
      description: { type: "string", maxLength: limits.descriptionMaxLength },
      createdAt: Timestamp,
      updatedAt: Timestamp,
      version: { type: "integer", minimum: 1, description: "1 on create, +1 on every update." },
    },
    required: ["id", "name", "description", "createdAt", "updatedAt", "version"],
    additionalProperties: false,
  },
  ItemsPage: {
    type: "object",
    properties: {
      items: { type: "array", items: { $ref: "#/components/schemas/Item" }, maxItems: 100 },
      lk: {
        type: ["string", "null"],
        pattern: pageTokenPattern,
        description: "The token of the next page; null on the last page.",
      },
    },
    required: ["items", "lk"],
    additionalProperties: false,
  },
  Problem: {
    type: "object",
    description: "RFC 9457 problem details, as every handler error is answered.",
    properties: {
      type: { type: "string", const: "about:blank" },
      title: { type: "string", minLength: 1 },
      status: { type: "integer", minimum: 400, maximum: 599 },
      detail: { type: "string", minLength: 1 },
      requestId: { type: "string", description: "The same as the `x-request-id` header." },
      errors: {
        type: "array",
        description: "On validation failures: every invalid field at once.",
        items: {
          type: "object",
          properties: { path: { type: "string" }, message: { type: "string" } },
          required: ["path", "message"],
          additionalProperties: false,
        },
      },
    },
    required: ["type", "title", "status", "detail", "requestId"],
    additionalProperties: false,
  },
  GatewayMessage: {
    type: "object",
    description: "An answer of API Gateway itself (or of the local server's gateway).",
    properties: { message: { type: "string" } },
    required: ["message"],
    additionalProperties: false,
  },
} as const;
