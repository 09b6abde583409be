/**
 * Request schemas. A schema and the type it validates share a name (superstruct's habit), and a
 * `StructError` becomes the 400's `errors` list here and nowhere else.
 */
import {
  type Failure,
  type Infer,
  number,
  object,
  optional,
  refine,
  type Struct,
  string,
  validate,
} from "superstruct";
import { BadRequestError, type FieldError } from "./errors.ts";
import { limits } from "./limits.ts";

export { limits };

// Control characters (U+0000 to U+001F, U+007F); a description may hold tab, LF and CR.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const controlCharacter = /[\u0000-\u001f\u007f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const controlCharacterExceptWhiteSpace = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Length in Unicode code points, as API.md counts it (an emoji is one, not two). */
export function codePointLength(value: string): number {
  let length = 0;
  for (const _ of value) length++;
  return length;
}

const Name = refine(string(), "name", (value) => {
  if (!value.isWellFormed()) return "must be well-formed Unicode (no lone surrogates)";
  if (controlCharacter.test(value)) return "must not contain control characters";
  const length = codePointLength(value.trim());
  return (length >= 1 && length <= limits.nameMaxLength) || "must be 1 to 200 characters";
});

const Description = refine(string(), "description", (value) => {
  if (!value.isWellFormed()) return "must be well-formed Unicode (no lone surrogates)";
  if (controlCharacterExceptWhiteSpace.test(value)) {
    return "must not contain control characters other than tab, line feed and carriage return";
  }
  return codePointLength(value) <= limits.descriptionMaxLength || "must be at most 2000 characters";
});

/** The body of `POST /`. */
export const ItemInput = object({ name: Name, description: Description });
export type ItemInput = Infer<typeof ItemInput>;

// What `GET /{id}` returns can be sent back: the server sets the timestamps, so they are ignored,
// and `version` is a precondition (see preconditionOf in request.ts).
const Version = refine(
  number(),
  "version",
  (value) => (Number.isSafeInteger(value) && value >= 1) || "must be a positive integer",
);

/**
 * The body of `PUT /{id}`: the same fields, plus the rest of the item as `GET /{id}` returns it,
 * all optional: `id` (must match the path), `createdAt` and `updatedAt` (ignored) and `version`.
 */
export function ItemReplacement(pathId: string) {
  const Id = refine(string(), "id", (value) => value === pathId || "must equal the id in the path");
  return object({
    id: optional(Id),
    name: Name,
    description: Description,
    createdAt: optional(string()),
    updatedAt: optional(string()),
    version: optional(Version),
  });
}
export type ItemReplacement = Infer<ReturnType<typeof ItemReplacement>>;

/** Validates a parsed JSON body; every invalid field is reported at once. */
export function parseBody<T>(struct: Struct<T>, value: unknown): T {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new BadRequestError("The request body must be a JSON object.");
  }
  const [error, valid] = validate(shallowCopyOf(value), struct);
  if (error)
    throw new BadRequestError("The request body is invalid.", error.failures().map(toFieldError));
  return valid;
}

/**
 * The body with every nested array or object emptied. These schemas are flat, so nothing below the
 * top level can make a body valid; and superstruct describes a failure by printing the value,
 * which overflows the stack (a 500) on an array nested a few thousand deep.
 */
function shallowCopyOf(value: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [
      key,
      Array.isArray(field) ? [] : typeof field === "object" && field !== null ? {} : field,
    ]),
  );
}

/** Stored form of an item's editable fields: `name` trimmed, everything else as sent. */
export function normalizeItemInput({ name, description }: ItemInput): ItemInput {
  return { name: name.trim(), description };
}

function toFieldError(failure: Failure): FieldError {
  const path = failure.path.join(".");
  if (failure.type === "never") return { path, message: "is not allowed" };
  if (failure.value === undefined) return { path, message: "is required" };
  if (failure.refinement === undefined) return { path, message: `must be a ${failure.type}` };
  return { path, message: failure.message };
}
