/**
 * The rules and limits of an item's fields (API.md), declared once: common/schemas.ts builds the
 * superstruct validators from them, scripts/openapi/schemas.ts the OpenAPI document's JSON
 * Schemas. Data only, so the document is built without loading superstruct.
 *
 * Every text field must be well-formed Unicode (no lone surrogates) and is measured in code points.
 * Character classes are regular-expression source valid in ECMA-262, Python's `re` and Rust's
 * regex (schemathesis generates with the one, validates with the other): explicit \u escapes, no
 * \s, no astral escapes, no surrogates. Plain strings, not String.raw: a tagged template is a call,
 * which esbuild keeps in every bundle that imports this module.
 */
/** An item's id: a KSUID string, assigned by the server. */
export const itemIdPattern = "^[0-9A-Za-z]{27}$";

export const itemFields = {
  /** Trimmed as String.prototype.trim() does, before it is measured and stored. */
  name: { minLength: 1, maxLength: 200, trimmed: true, controls: "\\u0000-\\u001f\\u007f" },
  /** Kept exactly as sent: it may hold tab, line feed and carriage return. */
  description: {
    minLength: 0,
    maxLength: 2_000,
    trimmed: false,
    controls: "\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f",
  },
  id: { pattern: itemIdPattern },
  /** 1 on create, +1 on every update. */
  version: { minimum: 1, maximum: 2 ** 53 - 1 }, // Number.MAX_SAFE_INTEGER, which esbuild cannot drop
} as const;

/**
 * What a `PUT /{id}` body may carry back of the item as `GET /{id}` returned it, besides `name`
 * and `description`, and what the server does with each: all optional.
 */
export const returnedFields = {
  id: "must equal the id in the path",
  createdAt: "ignored: the server sets it",
  updatedAt: "ignored: the server sets it",
  version: "a precondition, like If-Match",
} as const;
