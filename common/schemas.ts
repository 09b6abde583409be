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
import { itemFields, type returnedFields } from "./item-fields.ts";

/** Length in Unicode code points, as API.md counts it (an emoji is one, not two). */
export function codePointLength(value: string): number {
  let length = 0;
  for (const _ of value) length++;
  return length;
}

/** A text field of item-fields.ts: its character class, its length (once trimmed, if it is). */
function text(field: "name" | "description", controlsMessage: string) {
  const { minLength, maxLength, trimmed, controls } = itemFields[field];
  const control = new RegExp(`[${controls}]`);
  const lengthMessage =
    minLength > 0
      ? `must be ${minLength} to ${maxLength} characters`
      : `must be at most ${maxLength} characters`;
  return refine(string(), field, (value) => {
    if (!value.isWellFormed()) return "must be well-formed Unicode (no lone surrogates)";
    if (control.test(value)) return controlsMessage;
    const length = codePointLength(trimmed ? value.trim() : value);
    return (length >= minLength && length <= maxLength) || lengthMessage;
  });
}

const Name = text("name", "must not contain control characters");
const Description = text(
  "description",
  "must not contain control characters other than tab, line feed and carriage return",
);

/** The body of `POST /`. */
export const ItemInput = object({ name: Name, description: Description });
export type ItemInput = Infer<typeof ItemInput>;

const Version = refine(number(), "version", (value) => {
  const { minimum, maximum } = itemFields.version;
  return (
    (Number.isInteger(value) && value >= minimum && value <= maximum) ||
    "must be a positive integer"
  );
});

/** What `GET /{id}` returns besides `id` (returnedFields): the server's own, accepted back on PUT. */
const serverManagedFields = {
  createdAt: optional(string()),
  updatedAt: optional(string()),
  version: optional(Version),
} satisfies Record<Exclude<keyof typeof returnedFields, "id">, unknown>;

/**
 * The body of `PUT /{id}`: the same fields, plus the rest of the item as `GET /{id}` returns it,
 * all optional (returnedFields in item-fields.ts): `id` (must match the path), `createdAt` and
 * `updatedAt` (ignored) and `version` (a precondition, see preconditionOf in request.ts).
 */
export function ItemReplacement(pathId: string) {
  // Only `id` depends on the request; the rest is built once.
  const id = optional(
    refine(string(), "id", (value) => value === pathId || "must equal the id in the path"),
  );
  return object({ id, name: Name, description: Description, ...serverManagedFields });
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
