import test from "ava";
import type { Struct } from "superstruct";
import { BadRequestError, type FieldError } from "../../common/errors.ts";
import {
  codePointLength,
  ItemInput,
  ItemReplacement,
  normalizeItemInput,
  parseBody,
} from "../../common/schemas.ts";

const pathId = "2zZyQ3nmbqxsHDjGJN1Ffpm4sbE";
const emoji = "😀"; // one code point, two UTF-16 code units
const astral = "𝒜"; // U+1D49C, outside the Basic Multilingual Plane

/** The `errors` of the 400 that parsing `body` with `struct` throws. */
function failuresOf<T>(struct: Struct<T>, body: unknown): readonly FieldError[] {
  const error = (() => {
    try {
      parseBody(struct, body);
    } catch (thrown) {
      return thrown;
    }
    return undefined;
  })();
  if (!(error instanceof BadRequestError))
    throw new Error(`expected a BadRequestError, got ${error}`);
  return error.errors;
}

const acceptsInput = test.macro({
  exec(t, body: unknown, stored: ItemInput) {
    t.deepEqual(normalizeItemInput(parseBody(ItemInput, body)), stored);
  },
  title: (providedTitle = "") => `accepts ${providedTitle}`,
});

const rejectsInput = test.macro({
  exec(t, body: unknown, expected: readonly FieldError[]) {
    const error = t.throws(() => parseBody(ItemInput, body), { instanceOf: BadRequestError });
    t.is(error?.status, 400);
    t.is(error?.detail, "The request body is invalid.");
    t.deepEqual(error?.errors, expected);
  },
  title: (providedTitle = "") => `rejects ${providedTitle}`,
});

// Valid bodies.
test(
  "a name and an empty description",
  acceptsInput,
  { name: "a", description: "" },
  {
    name: "a",
    description: "",
  },
);
test(
  "a name with surrounding white space, stored trimmed",
  acceptsInput,
  { name: " \u00a0 tea \u2003 pot \u3000 ", description: "x" },
  { name: "tea \u2003 pot", description: "x" },
);
test(
  "a description exactly as sent, surrounding white space included",
  acceptsInput,
  { name: "a", description: "  two  spaces  " },
  { name: "a", description: "  two  spaces  " },
);
test(
  "a name of exactly 200 characters",
  acceptsInput,
  { name: "n".repeat(200), description: "" },
  { name: "n".repeat(200), description: "" },
);
test(
  "a name of 200 characters once trimmed",
  acceptsInput,
  { name: `   ${"n".repeat(200)}   `, description: "" },
  { name: "n".repeat(200), description: "" },
);
test(
  "a name of 200 emoji (400 UTF-16 code units)",
  acceptsInput,
  { name: emoji.repeat(200), description: "" },
  { name: emoji.repeat(200), description: "" },
);
test(
  "a name of 200 astral characters",
  acceptsInput,
  { name: astral.repeat(200), description: "" },
  { name: astral.repeat(200), description: "" },
);
test(
  "a description of exactly 2000 characters",
  acceptsInput,
  { name: "a", description: "d".repeat(2000) },
  { name: "a", description: "d".repeat(2000) },
);
test(
  "a description of 2000 emoji",
  acceptsInput,
  { name: "a", description: emoji.repeat(2000) },
  { name: "a", description: emoji.repeat(2000) },
);
test(
  "tab, line feed and carriage return inside a description",
  acceptsInput,
  { name: "a", description: "\tone\r\ntwo\n" },
  { name: "a", description: "\tone\r\ntwo\n" },
);
test(
  "any other Unicode, kept as sent",
  acceptsInput,
  { name: "Crème brûlée 🍮 茶 שלום", description: "👩‍👩‍👧 e\u0301 \u200b \u2028 \ufffd \u0085" },
  { name: "Crème brûlée 🍮 茶 שלום", description: "👩‍👩‍👧 e\u0301 \u200b \u2028 \ufffd \u0085" },
);

// Invalid bodies: every invalid field is listed at once, with its path and message.
const required = (path: string) => ({ path, message: "is required" });
const notAString = (path: string) => ({ path, message: "must be a string" });
const notAllowed = (path: string) => ({ path, message: "is not allowed" });
const badName = { path: "name", message: "must be 1 to 200 characters" };
const nameControl = { path: "name", message: "must not contain control characters" };
const descriptionControl = {
  path: "description",
  message: "must not contain control characters other than tab, line feed and carriage return",
};
const descriptionTooLong = { path: "description", message: "must be at most 2000 characters" };
const lone = (path: string) => ({
  path,
  message: "must be well-formed Unicode (no lone surrogates)",
});

test("an empty object", rejectsInput, {}, [required("name"), required("description")]);
test("a missing description", rejectsInput, { name: "a" }, [required("description")]);
test("a missing name", rejectsInput, { description: "" }, [required("name")]);
test("a number as name", rejectsInput, { name: 1, description: "" }, [notAString("name")]);
test("null fields", rejectsInput, { name: null, description: null }, [
  notAString("name"),
  notAString("description"),
]);
test("an array and an object as fields", rejectsInput, { name: ["a"], description: {} }, [
  notAString("name"),
  notAString("description"),
]);
test("a boolean as description", rejectsInput, { name: "a", description: false }, [
  notAString("description"),
]);
test("an unknown field", rejectsInput, { name: "a", description: "", color: "red" }, [
  notAllowed("color"),
]);
test("an id on create", rejectsInput, { id: pathId, name: "a", description: "" }, [
  notAllowed("id"),
]);
test(
  "server-owned fields",
  rejectsInput,
  { name: "a", description: "", version: 7, createdAt: "x" },
  [notAllowed("version"), notAllowed("createdAt")],
);
test("a field whose case differs", rejectsInput, { Name: "a", description: "" }, [
  required("name"),
  notAllowed("Name"),
]);
test("an empty name", rejectsInput, { name: "", description: "" }, [badName]);
test("a name of spaces only", rejectsInput, { name: "   ", description: "" }, [badName]);
test(
  "a name of Unicode white space only",
  rejectsInput,
  { name: "\u00a0\u2003\u3000\ufeff", description: "" },
  [badName],
);
test("a name of 201 characters", rejectsInput, { name: "n".repeat(201), description: "" }, [
  badName,
]);
test(
  "a name of 201 characters once trimmed",
  rejectsInput,
  { name: ` ${"n".repeat(201)} `, description: "" },
  [badName],
);
test("a name of 201 emoji", rejectsInput, { name: emoji.repeat(201), description: "" }, [badName]);
test(
  "a name of 201 astral characters",
  rejectsInput,
  { name: astral.repeat(201), description: "" },
  [badName],
);
test(
  "a description of 2001 characters",
  rejectsInput,
  { name: "a", description: "d".repeat(2001) },
  [descriptionTooLong],
);
test("a description of 2001 emoji", rejectsInput, { name: "a", description: emoji.repeat(2001) }, [
  descriptionTooLong,
]);
for (const [label, character] of [
  ["U+0000", "\u0000"],
  ["U+0001", "\u0001"],
  ["U+0008", "\u0008"],
  ["a tab", "\t"],
  ["a line feed", "\n"],
  ["U+000B", "\u000b"],
  ["U+000C", "\u000c"],
  ["a carriage return", "\r"],
  ["U+001B", "\u001b"],
  ["U+001F", "\u001f"],
  ["U+007F", "\u007f"],
] as const) {
  test(`a name containing ${label}`, rejectsInput, { name: `a${character}b`, description: "" }, [
    nameControl,
  ]);
  test(
    `a name ending in ${label}, which trimming would have hidden`,
    rejectsInput,
    { name: `ab${character}`, description: "" },
    [nameControl],
  );
}
for (const [label, character] of [
  ["U+0000", "\u0000"],
  ["U+0008", "\u0008"],
  ["U+000B", "\u000b"],
  ["U+000C", "\u000c"],
  ["U+000E", "\u000e"],
  ["U+001F", "\u001f"],
  ["U+007F", "\u007f"],
] as const) {
  test(
    `a description containing ${label}`,
    rejectsInput,
    { name: "a", description: `x${character}y` },
    [descriptionControl],
  );
}
test("a name with a lone high surrogate", rejectsInput, { name: "a\ud83d", description: "" }, [
  lone("name"),
]);
test("a name with a lone low surrogate", rejectsInput, { name: "\ude00a", description: "" }, [
  lone("name"),
]);
test("a description with a lone surrogate", rejectsInput, { name: "a", description: "x\udbff" }, [
  lone("description"),
]);
test("surrogates in the wrong order", rejectsInput, { name: "\ude00\ud83d", description: "" }, [
  lone("name"),
]);
test(
  "a body where everything is wrong, listing every field",
  rejectsInput,
  { name: " ", description: 5, extra: true, other: null },
  [badName, notAString("description"), notAllowed("extra"), notAllowed("other")],
);

const rejectsNonObject = test.macro({
  exec(t, body: unknown) {
    for (const struct of [ItemInput, ItemReplacement(pathId)]) {
      const error = t.throws(() => parseBody(struct, body), { instanceOf: BadRequestError });
      t.is(error?.status, 400);
      t.regex(error?.detail ?? "", /must be a JSON object/);
    }
  },
  title: (providedTitle = "") => `rejects ${providedTitle} as the whole body`,
});
test("an array", rejectsNonObject, [{ name: "a", description: "" }]);
test("an empty array", rejectsNonObject, []);
test("a string", rejectsNonObject, '{"name":"a","description":""}');
test("a number", rejectsNonObject, 42);
test("a boolean", rejectsNonObject, true);
test("null", rejectsNonObject, null);
test("undefined", rejectsNonObject, undefined);

// Keys that JSON.parse makes own properties but that mean something to JavaScript.
for (const key of ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty"]) {
  test(`rejects "${key}" from JSON.parse as an unknown field, polluting nothing`, (t) => {
    const body: unknown = JSON.parse(
      `{"name":"a","description":"b","${key}":{"polluted":true,"prototype":{"polluted":true}}}`,
    );
    t.deepEqual(failuresOf(ItemInput, body), [notAllowed(key)]);
    t.deepEqual(failuresOf(ItemReplacement(pathId), body), [notAllowed(key)]);
    t.is((Object.prototype as Record<string, unknown>).polluted, undefined);
    t.is(({} as Record<string, unknown>).polluted, undefined);
  });
}

test('does not read fields through a "__proto__" key', (t) => {
  const body: unknown = JSON.parse('{"__proto__":{"name":"a","description":"b"}}');
  t.deepEqual(failuresOf(ItemInput, body), [
    required("name"),
    required("description"),
    notAllowed("__proto__"),
  ]);
});

// PUT's body.
test("a replacement may omit id", (t) => {
  t.deepEqual(parseBody(ItemReplacement(pathId), { name: "a", description: "b" }), {
    name: "a",
    description: "b",
  });
});

test("a replacement may carry the id of its path", (t) => {
  const body = { id: pathId, name: "a", description: "b" };
  t.deepEqual(parseBody(ItemReplacement(pathId), body), body);
});

const rejectsReplacement = test.macro({
  exec(t, body: unknown, expected: readonly FieldError[]) {
    t.deepEqual(failuresOf(ItemReplacement(pathId), body), expected);
  },
  title: (providedTitle = "") => `rejects a replacement with ${providedTitle}`,
});
const otherId = { path: "id", message: "must equal the id in the path" };
test(
  "another item's id",
  rejectsReplacement,
  { id: "2zZyQ3nmbqxsHDjGJN1Ffpm4sbF", name: "a", description: "" },
  [otherId],
);
test(
  "the path id in another case",
  rejectsReplacement,
  { id: pathId.toLowerCase(), name: "a", description: "" },
  [otherId],
);
test("an empty id", rejectsReplacement, { id: "", name: "a", description: "" }, [otherId]);
test(
  "the path id padded with spaces",
  rejectsReplacement,
  { id: ` ${pathId}`, name: "a", description: "" },
  [otherId],
);
test("a null id", rejectsReplacement, { id: null, name: "a", description: "" }, [notAString("id")]);
test("a numeric id", rejectsReplacement, { id: 1, name: "a", description: "" }, [notAString("id")]);
test(
  "a wrong id and wrong fields, listed together",
  rejectsReplacement,
  { id: "x", name: "", extra: 1 },
  [otherId, badName, required("description"), notAllowed("extra")],
);
test("missing fields", rejectsReplacement, { id: pathId }, [
  required("name"),
  required("description"),
]);

test("normalizing trims the name only and keeps nothing else", (t) => {
  const body = parseBody(ItemReplacement(pathId), {
    id: pathId,
    name: " a b ",
    description: " c ",
  });
  const stored = normalizeItemInput(body);
  t.deepEqual(stored, { name: "a b", description: " c " });
  t.deepEqual(Object.keys(stored), ["name", "description"]);
});

const countsCodePoints = test.macro({
  exec(t, value: string, expected: number) {
    t.is(codePointLength(value), expected);
  },
  title: (providedTitle = "", _value, expected) =>
    `codePointLength counts ${providedTitle} as ${expected}`,
});
test("the empty string", countsCodePoints, "", 0);
test("ASCII letters", countsCodePoints, "abc", 3);
test("an emoji", countsCodePoints, emoji, 1);
test("an astral character", countsCodePoints, astral, 1);
test("an emoji with a skin tone modifier", countsCodePoints, "👍🏽", 2);
test("a letter with a combining accent", countsCodePoints, "e\u0301", 2);
test("a lone surrogate", countsCodePoints, "\ud800", 1);
test("a mix of planes", countsCodePoints, `a${emoji}é${astral}`, 4);

// superstruct prints a failing value; printing thousands of nested arrays overflowed the stack.
const deepArray = JSON.parse(`${"[".repeat(6_000)}${"]".repeat(6_000)}`) as unknown;
const deepObject = JSON.parse(`${'{"a":'.repeat(3_000)}1${"}".repeat(3_000)}`) as unknown;
test(
  "a name holding arrays nested thousands deep",
  rejectsInput,
  { name: deepArray, description: "" },
  [notAString("name")],
);
test(
  "a description holding objects nested thousands deep",
  rejectsInput,
  { name: "a", description: deepObject },
  [notAString("description")],
);
test(
  "an unknown field holding arrays nested thousands deep",
  rejectsInput,
  { name: "a", description: "", x: deepArray },
  [notAllowed("x")],
);
