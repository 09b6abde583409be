/**
 * The OpenAPI document and the superstruct schemas cannot disagree: one corpus of request bodies
 * (hand-picked edge cases, then thousands generated around every limit) goes through both
 * `parseBody` and the document's JSON Schemas compiled by ajv, and every verdict must match.
 */
import test from "ava";
import fc from "fast-check";
import type { Struct } from "superstruct";
import { BadRequestError } from "../../common/errors.ts";
import { ItemInput, ItemReplacement, parseBody } from "../../common/schemas.ts";
import { componentValidator, documentValidator } from "../helpers/openapi-validator.ts";

const pathId = "2zZyQ3nmbqxsHDjGJN1Ffpm4sbE";
const acceptsInput = componentValidator("ItemInput");
// The one rule a schema cannot state alone, `id` equal to the path's, added as the server has it.
const acceptsReplacement = documentValidator({
  allOf: [
    { $ref: "openapi.json#/components/schemas/ItemReplacement" },
    { type: "object", properties: { id: { const: pathId } } },
  ],
});

function superstructAccepts<T>(struct: Struct<T>, value: unknown): boolean {
  try {
    parseBody(struct, value);
    return true;
  } catch (error) {
    if (error instanceof BadRequestError) return false;
    throw error;
  }
}

const agree = test.macro({
  exec(t, value: unknown, expected: boolean) {
    t.is(superstructAccepts(ItemInput, value), expected, "superstruct (POST)");
    t.is(acceptsInput(value), expected, "OpenAPI (POST)");
    t.is(superstructAccepts(ItemReplacement(pathId), value), expected, "superstruct (PUT)");
    t.is(acceptsReplacement(value), expected, "OpenAPI (PUT)");
  },
  title: (providedTitle = "", _value, expected: boolean) =>
    `both ${expected ? "accept" : "refuse"} ${providedTitle}`,
});

const item = (name: string, description = "") => ({ name, description });
const n = (count: number, text = "n") => text.repeat(count);

test("a minimal item", agree, item("a"), true);
test("a name of 200 characters", agree, item(n(200)), true);
test("a name of 200 emoji (code points, not UTF-16 units)", agree, item(n(200, "😀")), true);
test("a name of 200 characters padded with spaces", agree, item(`  ${n(200)}\u3000`), true);
test(
  "a name trimmed of NBSP, BOM, ideographic and line separators",
  agree,
  item("\u00a0\ufeff\u3000a\u2028\u2029"),
  true,
);
test("a name with white space inside", agree, item(`a${n(198, " ")}b`), true);
test("a name with C1 controls and zero-width characters", agree, item("\u0085\u200b\u180e"), true);
test("a description of 2000 emoji", agree, item("d", n(2000, "🦄")), true);
test("a description with tab, line feed and carriage return", agree, item("d", "\t\n\r"), true);
test("a name of 201 characters", agree, item(n(201)), false);
test("a name of 201 characters once trimmed", agree, item(` ${n(199)} ab `), false);
test("an empty name", agree, item(""), false);
test("a name of white space only", agree, item(" \u00a0\u3000\ufeff"), false);
test("a name with a line feed", agree, item("a\nb"), false);
test("a name with a tab at its edge", agree, item("\tab"), false);
test("a name with NUL", agree, item("a\u0000"), false);
test("a name with DEL", agree, item("a\u007f"), false);
test("a name with a lone high surrogate", agree, item("a\ud800"), false);
test("a name with a lone low surrogate", agree, item("\udc00a"), false);
test("a description of 2001 characters", agree, item("d", n(2001)), false);
test("a description with a vertical tab", agree, item("d", "\u000b"), false);
test("a description with a lone surrogate", agree, item("d", "\ud83d"), false);
test("a missing name", agree, { description: "" }, false);
test("a missing description", agree, { name: "a" }, false);
test("a name that is a number", agree, { name: 1, description: "" }, false);
test("a description that is null", agree, { name: "a", description: null }, false);
test("an unknown field", agree, { ...item("a"), extra: 1 }, false);
test(
  "an own __proto__ field",
  agree,
  JSON.parse('{"name":"a","description":"","__proto__":1}'),
  false,
);
test("an array", agree, [item("a")], false);
test("null", agree, null, false);
test("a string", agree, "item", false);

test("both treat `id` on PUT alike: equal to the path's, another, or not a string", (t) => {
  const cases: [unknown, boolean][] = [
    [{ id: pathId, ...item("a") }, true],
    [{ id: "3MXggTvAHWiayjV7Uy3yV9Hw0SK", ...item("a") }, false],
    [{ id: 1, ...item("a") }, false],
  ];
  for (const [value, expected] of cases) {
    t.is(superstructAccepts(ItemReplacement(pathId), value), expected);
    t.is(acceptsReplacement(value), expected);
  }
});

test("both take back an item as GET returns it on PUT only, with the same rules on its fields", (t) => {
  const read = {
    id: pathId,
    ...item("a"),
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-02T00:00:00.000Z",
    version: 3,
  };
  t.false(superstructAccepts(ItemInput, read), "superstruct (POST)");
  t.false(acceptsInput(read), "OpenAPI (POST)");
  const cases: [unknown, boolean][] = [
    [read, true],
    [{ ...read, createdAt: "anything", updatedAt: "" }, true],
    [{ ...read, version: Number.MAX_SAFE_INTEGER }, true],
    [{ ...read, createdAt: 0 }, false],
    [{ ...read, updatedAt: null }, false],
    [{ ...read, version: 0 }, false],
    [{ ...read, version: -1 }, false],
    [{ ...read, version: 1.5 }, false],
    [{ ...read, version: "3" }, false],
    [{ ...read, version: null }, false],
    [{ ...read, version: 2 ** 53 }, false],
    [{ ...read, extra: 1 }, false],
  ];
  for (const [value, expected] of cases) {
    t.is(superstructAccepts(ItemReplacement(pathId), value), expected, JSON.stringify(value));
    t.is(acceptsReplacement(value), expected, JSON.stringify(value));
  }
});

// Characters around every rule: white space trim() removes or not, zero-width and C1 characters
// (allowed), controls (allowed in a description only or nowhere), both halves of a surrogate
// pair (alone, or paired by chance), emoji. Lengths cluster around each limit.
const allowed = ["a", "é", "😀", " ", "\u00a0", "\u3000", "\u2028", "\ufeff", "\u200b", "\u0085"];
const risky = ["\t", "\n", "\r", "\u000b", "\u0000", "\u001f", "\u007f", "\ud83d", "\ude00"];
const textOf = (units: string[], around: number) =>
  fc.oneof(
    fc.string({ unit: fc.constantFrom(...units), maxLength: 8 }),
    fc.string({ unit: fc.constantFrom(...units), minLength: around - 3, maxLength: around + 3 }),
  );
const text = (around: number, extra: string[] = []) =>
  fc.oneof(
    { arbitrary: textOf([...allowed, ...extra], around), weight: 6 },
    { arbitrary: textOf([...allowed, ...risky], around), weight: 2 },
    { arbitrary: fc.string({ unit: "grapheme", maxLength: around + 2 }), weight: 1 },
    { arbitrary: fc.oneof(fc.integer(), fc.constant(null), fc.array(fc.string())), weight: 1 },
  );
const body = fc.record(
  {
    name: text(200),
    description: text(2000, ["\t", "\n", "\r"]),
    id: fc.constantFrom(pathId, "other"),
    extra: fc.anything(),
  },
  { requiredKeys: [] },
);
const likelyBody = fc.oneof(
  { arbitrary: body, weight: 1 },
  {
    arbitrary: fc.record({ name: text(200), description: text(2000, ["\t", "\n", "\r"]) }),
    weight: 3,
  },
);

test("both give the same verdict on every generated body, accepted or refused", (t) => {
  const verdicts = { accepted: 0, refused: 0 };
  fc.assert(
    fc.property(likelyBody, (value: Record<string, unknown>) => {
      const { id: _, ...input } = value;
      const accepted = superstructAccepts(ItemInput, input);
      verdicts[accepted ? "accepted" : "refused"] += 1;
      return (
        accepted === acceptsInput(input) &&
        superstructAccepts(ItemReplacement(pathId), value) === acceptsReplacement(value)
      );
    }),
    { numRuns: 3_000 },
  );
  // A corpus that only ever refuses would prove nothing.
  t.true(verdicts.accepted >= 300, JSON.stringify(verdicts));
  t.true(verdicts.refused >= 300, JSON.stringify(verdicts));
  t.log(verdicts);
});
