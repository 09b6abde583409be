/**
 * `POST /` refusals: every defect answers its 4xx as problem+json, and writes nothing. Nothing in
 * this file is ever created, so the table must still be empty after every request.
 */
import test from "ava";
import { assertProblem, fieldErrorsOf, scanTable, send } from "../helpers/api.ts";
import type { EventOptions } from "../helpers/events.ts";
import { type HandlerHarness, loadHandlers } from "../helpers/handlers.ts";

let h: HandlerHarness;
test.before(async () => {
  h = await loadHandlers();
});
test.after.always(async () => {
  await h?.db.stop();
});

const json = { "content-type": "application/json" };

interface Refusal {
  readonly status: number;
  /** The `errors` expected, by path; every one must be listed, and no other. */
  readonly errors?: Readonly<Record<string, RegExp>>;
}

async function assertRefused(
  t: Parameters<typeof assertProblem>[0],
  options: EventOptions,
  refusal: Refusal,
) {
  const exchange = await send(h.handlers, "create-item", options);
  const problem = assertProblem(t, exchange, refusal.status, [h.tableName]);
  if (refusal.errors) {
    const errors = fieldErrorsOf(problem);
    t.deepEqual(
      [...errors.keys()].sort(),
      Object.keys(refusal.errors).sort(),
      "every invalid field, once",
    );
    for (const [path, message] of Object.entries(refusal.errors))
      t.regex(errors.get(path) ?? "", message);
  }
  t.deepEqual(await scanTable(h.db, h.tableName), [], "a rejected request writes nothing");
}

/** Sends a JSON value as the body. */
const rejectsValue = test.macro({
  exec: (t, value: unknown, errors: Record<string, RegExp>) =>
    assertRefused(t, { method: "POST", json: value }, { status: 400, errors }),
  title: (providedTitle = "") => `answers 400 listing the invalid fields when ${providedTitle}`,
});

/** Sends raw bytes or text as the body. */
const rejectsBody = test.macro({
  exec: (t, body: string | Buffer | undefined, refusal: Refusal & { base64?: boolean }) =>
    assertRefused(
      t,
      {
        method: "POST",
        ...(body === undefined ? {} : { body }),
        base64: refusal.base64 ?? false,
        headers: json,
      },
      refusal,
    ),
  title: (providedTitle = "", _body: unknown, refusal: Refusal) =>
    `answers ${refusal.status} when the body is ${providedTitle}`,
});

const ok = { name: "ok", description: "fine" };
const required = /is required/;
const notAllowed = /not allowed/;
const notString = /must be a string/;
const nameLength = /1 to 200/;
const control = /control characters/;
const surrogate = /well-formed/;

// Validation: missing, wrong types, lengths, control characters, unknown fields.
test("the name is missing", rejectsValue, { description: "x" }, { name: required });
test("the description is missing", rejectsValue, { name: "x" }, { description: required });
test("both fields are missing", rejectsValue, {}, { name: required, description: required });
for (const [label, value] of [
  ["a number", 1],
  ["null", null],
  ["a boolean", true],
  ["an array", ["a"]],
  ["an object", { text: "a" }],
] as const) {
  test(`the name is ${label}`, rejectsValue, { ...ok, name: value }, { name: notString });
  test(
    `the description is ${label}`,
    rejectsValue,
    { ...ok, description: value },
    { description: notString },
  );
}
test("the name is empty", rejectsValue, { ...ok, name: "" }, { name: nameLength });
test(
  "the name is only white space",
  rejectsValue,
  { ...ok, name: " \u00a0\u3000 " },
  { name: nameLength },
);
test(
  "the name has 201 characters",
  rejectsValue,
  { ...ok, name: "n".repeat(201) },
  { name: nameLength },
);
test(
  "the name has 201 emoji",
  rejectsValue,
  { ...ok, name: "😀".repeat(201) },
  { name: nameLength },
);
test(
  "the name has 201 code points of combining sequences",
  rejectsValue,
  { ...ok, name: `${"e\u0301".repeat(100)}x` },
  { name: nameLength },
);
test(
  "the description has 2001 characters",
  rejectsValue,
  { ...ok, description: "d".repeat(2_001) },
  { description: /at most 2000/ },
);
test(
  "the description has 2001 emoji",
  rejectsValue,
  { ...ok, description: "🦄".repeat(2_001) },
  { description: /at most 2000/ },
);
for (const [label, character] of [
  ["NUL", "\u0000"],
  ["U+0001", "\u0001"],
  ["a tab", "\t"],
  ["a line feed", "\n"],
  ["a carriage return", "\r"],
  ["an escape (U+001B)", "\u001b"],
  ["U+001F", "\u001f"],
  ["DEL (U+007F)", "\u007f"],
] as const) {
  test(
    `the name holds ${label}`,
    rejectsValue,
    { ...ok, name: `a${character}b` },
    { name: control },
  );
  test(
    `the name ends with ${label} (checked before trimming)`,
    rejectsValue,
    { ...ok, name: `ab${character}` },
    {
      name: control,
    },
  );
}
for (const [label, character] of [
  ["NUL", "\u0000"],
  ["a vertical tab", "\u000b"],
  ["a form feed", "\u000c"],
  ["U+001F", "\u001f"],
  ["DEL (U+007F)", "\u007f"],
] as const) {
  test(
    `the description holds ${label}`,
    rejectsValue,
    { ...ok, description: `a${character}b` },
    {
      description: control,
    },
  );
}
test(
  "the name holds a lone high surrogate",
  rejectsValue,
  { ...ok, name: "a\ud800" },
  { name: surrogate },
);
test(
  "the description holds a lone low surrogate",
  rejectsValue,
  { ...ok, description: "\udfff" },
  {
    description: surrogate,
  },
);
test(
  "the description holds a reversed surrogate pair",
  rejectsValue,
  { ...ok, description: "\ude00\ud83d" },
  {
    description: surrogate,
  },
);
test("an unknown field is sent", rejectsValue, { ...ok, extra: "x" }, { extra: notAllowed });
test(
  "an id is sent (the server assigns it)",
  rejectsValue,
  { ...ok, id: "2Ec9mxJuGF8KSzGnBcCnwvYq1qE" },
  {
    id: notAllowed,
  },
);
test(
  "server-owned fields are sent",
  rejectsValue,
  { ...ok, version: 7, createdAt: "2020-01-01T00:00:00.000Z" },
  {
    version: notAllowed,
    createdAt: notAllowed,
  },
);
test(
  "a field name has a typo",
  rejectsValue,
  { name: "x", descripton: "y" },
  {
    description: required,
    descripton: notAllowed,
  },
);
test(
  "many fields are invalid at once",
  rejectsValue,
  { name: "", description: 5, color: "red", size: 2 },
  { name: nameLength, description: notString, color: notAllowed, size: notAllowed },
);
test(
  "the name is too long and the description has a control character",
  rejectsValue,
  { name: "n".repeat(201), description: "\u0000" },
  { name: nameLength, description: control },
);

// The body itself: empty, not JSON, not an object, not UTF-8.
test("absent", rejectsBody, undefined, { status: 400 });
test("empty", rejectsBody, "", { status: 400 });
test("only white space", rejectsBody, "  \n ", { status: 400 });
for (const [label, text] of [
  ["a truncated object", '{"name":"a"'],
  ["an object with a trailing comma", '{"name":"a","description":"b",}'],
  ["single-quoted", "{'name':'a','description':'b'}"],
  ["an object followed by garbage", '{"name":"a","description":"b"} x'],
  ["two objects", '{"name":"a","description":"b"}{"name":"a","description":"b"}'],
  ["JavaScript, not JSON", '{name:"a",description:"b"}'],
  ["NaN", "NaN"],
  ["a raw control character inside a string", '{"name":"a","description":"b\u0001"}'],
] as const) {
  test(`malformed JSON: ${label}`, rejectsBody, text, { status: 400 });
}
for (const [label, text] of [
  ["an array", "[]"],
  ["an array holding a valid item", '[{"name":"a","description":"b"}]'],
  ["a string", '"name"'],
  ["a number", "42"],
  ["null", "null"],
  ["true", "true"],
] as const) {
  test(`JSON that is not an object: ${label}`, rejectsBody, text, { status: 400 });
}
test("a lone surrogate escaped as \\ud800", rejectsBody, '{"name":"\\ud800","description":"b"}', {
  status: 400,
  errors: { name: surrogate },
});
test(
  "text holding a raw lone surrogate (not base64)",
  rejectsBody,
  '{"name":"a\ud800","description":"b"}',
  {
    status: 400,
  },
);
test(
  "an unknown field whose value is an array nested 5000 deep",
  rejectsBody,
  `{"name":"a","description":"b","x":${"[".repeat(5_000)}${"]".repeat(5_000)}}`,
  { status: 400, errors: { x: notAllowed } },
);
test(
  "a name that is an array nested 5000 deep",
  rejectsBody,
  `{"name":${"[".repeat(5_000)}${"]".repeat(5_000)},"description":"b"}`,
  { status: 400, errors: { name: notString } },
);
test(
  "an unknown field named __proto__",
  rejectsBody,
  '{"name":"a","description":"b","__proto__":{"version":9}}',
  { status: 400, errors: { ["__proto__"]: notAllowed } },
);
for (const [label, bytes] of [
  ["0xFF", [0xff]],
  ["a lone continuation byte", [0x80]],
  ["an overlong encoding of '/'", [0xc0, 0xaf]],
  ["an encoded surrogate (CESU-8)", [0xed, 0xa0, 0x80]],
  ["a truncated three-byte sequence", [0xe2, 0x82]],
  ["a code point above U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
] as const) {
  const body = Buffer.concat([
    Buffer.from('{"name":"a'),
    Buffer.from(bytes),
    Buffer.from('","description":"b"}'),
  ]);
  test(`invalid UTF-8 (${label}), base64-encoded`, rejectsBody, body, {
    status: 400,
    base64: true,
  });
}

// Size.
const padded = (bytes: number) => '{"name":"a","description":"b"}'.padEnd(bytes, " ");
test("over 64 KiB by one byte", rejectsBody, padded(64 * 1024 + 1), { status: 413 });
test("over 64 KiB by one byte once base64-decoded", rejectsBody, padded(64 * 1024 + 1), {
  status: 413,
  base64: true,
});
test(
  "over 64 KiB in bytes though under it in characters",
  rejectsBody,
  `{"name":"a","description":"b","x":"${"é".repeat(32_800)}"}`,
  { status: 413 },
);
test("1 MiB", rejectsBody, padded(1024 * 1024), { status: 413 });

// Media type.
const rejectsMediaType = test.macro({
  exec: (t, contentType: string | undefined) =>
    assertRefused(
      t,
      {
        method: "POST",
        body: '{"name":"a","description":"b"}',
        ...(contentType === undefined ? {} : { headers: { "content-type": contentType } }),
      },
      { status: 415 },
    ),
  title: (_providedTitle, contentType) =>
    `answers 415 when the Content-Type is ${contentType === undefined ? "missing" : `"${contentType}"`}`,
});
for (const contentType of [
  undefined,
  "",
  "text/plain",
  "text/json",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/jsonx",
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/problem+json",
  "application/json; charset=latin1",
  "application/json; charset=utf-16",
  "application/json; charset=iso-8859-1",
  "application/json, application/json",
  "application/json; charset=utf-8, text/plain",
]) {
  test(rejectsMediaType, contentType);
}
