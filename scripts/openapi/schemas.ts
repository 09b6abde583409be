/**
 * The JSON Schemas (2020-12, as OpenAPI 3.1 uses them) of the API's bodies. The request schemas
 * are built from the item fields' declaration, common/item-fields.ts, as common/schemas.ts builds
 * the superstruct validators; tests/unit/openapi-agreement.test.ts checks the translation.
 */
import { itemFields, type returnedFields } from "../../common/item-fields.ts";
import { limits } from "../../common/limits.ts";
import { base64url } from "../../common/page-token.ts";

const { name, description, id, version } = itemFields;

/**
 * What String.prototype.trim() removes (ECMA-262's WhiteSpace and LineTerminator), minus the
 * control characters, which no trimmed field may hold.
 */
const trimmedSpace = String.raw`\u0020\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff`;

/**
 * No lone surrogate (a `\ud800` escape with no partner): with the `u` flag a paired surrogate is
 * one code point, so only lone ones are refused. A rule of its own, because Rust's regex cannot
 * spell a surrogate at all: schemathesis drops it (and, generating no surrogates, loses nothing).
 */
const wellFormed = { allOf: [{ pattern: String.raw`^[^\ud800-\udfff]*$` }] };

type TextField = (typeof itemFields)["name" | "description"];

/**
 * A text field's pattern. Trimmed, its length is part of it: white space, an edge character, up
 * to `maxLength - 2` more and another edge, white space (1 to `maxLength` once trimmed).
 */
function patternOf({ controls, trimmed, minLength, maxLength }: TextField): string {
  if (!trimmed) return `^[^${controls}]*$`;
  if (minLength !== 1) throw new Error("a trimmed field's pattern assumes a minLength of 1");
  const edge = `[^${controls}${trimmedSpace}]`;
  const space = `[${trimmedSpace}]*`;
  return `^${space}${edge}(?:[^${controls}]{0,${maxLength - 2}}${edge})?${space}$`;
}

/** A text field's JSON Schema; a trimmed field's length is in its pattern. */
const textSchema = (field: TextField, prose: string, example: string) => ({
  type: "string",
  ...(!field.trimmed && field.minLength > 0 && { minLength: field.minLength }),
  ...(!field.trimmed && { maxLength: field.maxLength }),
  pattern: patternOf(field),
  ...wellFormed,
  description: prose,
  examples: [example],
});

export const namePattern = patternOf(name);
export const descriptionPattern = patternOf(description);
export const itemIdPattern = id.pattern;
/** URL-safe; the length is not part of the contract (the token is opaque). */
export const pageTokenPattern = base64url.source;
const timestampPattern = String.raw`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$`;

const thousands = (count: number) => count.toLocaleString("en-US");

const Name = textSchema(
  name,
  `${name.minLength} to ${name.maxLength} characters (Unicode code points) once surrounding ` +
    "white space is trimmed, which it is before storing. No control characters (U+0000 to " +
    "U+001F, U+007F), no lone surrogates.",
  "milk",
);

const Description = textSchema(
  description,
  `${description.minLength} to ${thousands(description.maxLength)} characters (code points), ` +
    "kept exactly as sent. No control characters other than tab, line feed and carriage " +
    "return; no lone surrogates.",
  "two litres",
);

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

/** What a `PUT` body may carry back (readOnly: the server owns them; a client never needs to). */
const returned = {
  id: { ...ItemId, readOnly: true },
  createdAt: ignoredTimestamp,
  updatedAt: ignoredTimestamp,
  version: {
    type: "integer",
    minimum: version.minimum,
    maximum: version.maximum,
    readOnly: true,
    description:
      "The version the client read. When sent, the write happens only at this version, as " +
      'with `If-Match: "<version>"`: 412 when the item is at another one; 400 when an ' +
      "`If-Match` header in the same request names other versions.",
  },
} satisfies Record<keyof typeof returnedFields, object>;

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
    properties: {
      id: returned.id,
      name: Name,
      description: Description,
      createdAt: returned.createdAt,
      updatedAt: returned.updatedAt,
      version: returned.version,
    },
    required: ["name", "description"],
    additionalProperties: false,
  },
  Item: {
    type: "object",
    properties: {
      id: ItemId,
      name: { type: "string", minLength: name.minLength, maxLength: name.maxLength },
      description: { type: "string", maxLength: description.maxLength },
      createdAt: Timestamp,
      updatedAt: Timestamp,
      version: {
        type: "integer",
        minimum: version.minimum,
        description: "1 on create, +1 on every update.",
      },
    },
    required: ["id", "name", "description", "createdAt", "updatedAt", "version"],
    additionalProperties: false,
  },
  ItemsPage: {
    type: "object",
    properties: {
      items: {
        type: "array",
        items: { $ref: "#/components/schemas/Item" },
        maxItems: limits.pageSizeMax,
      },
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
