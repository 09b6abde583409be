/**
 * Properties, checked with fast-check over real HTTP: any valid name and description round-trip
 * exactly through create and read; any body at all either creates one valid item or answers 400
 * and stores nothing. A failure prints the seed and the smallest body that breaks the property;
 * `FC_SEED=<seed>` replays it.
 */
import assert from "node:assert/strict";
import test from "ava";
import fc from "fast-check";
import type { Item } from "../../common/items-table.ts";
import { type LocalApi, snapshotTable, startLocalApi } from "../helpers/local-api.ts";
import { sendRequest } from "../helpers/raw-http.ts";

let api: LocalApi;

test.before(async () => {
  api = await startLocalApi();
});

test.after.always(async () => {
  await api?.close();
});

const seed = process.env.FC_SEED === undefined ? {} : { seed: Number(process.env.FC_SEED) };
const json: [string, string] = ["Content-Type", "application/json"];
const post = (body: string | Buffer) =>
  sendRequest(api.url, { method: "POST", target: "/", headers: [json], body });

// Characters worth trying: emoji and ZWJ sequences, combining marks, bidi controls, zero-width and
// exotic spaces, quotes and backslashes, markup and template syntax.
const specials = [
  "😀",
  "👩‍👩‍👧",
  "e\u0301",
  "\u200b",
  "\u200d",
  "\u202e",
  "\u00a0",
  '"',
  "\\",
  "/",
];
const specialWords = [
  "<script>",
  "%00",
  "{{x}}",
  "$" + "{x}",
  "ß",
  "İ",
  "𝔘",
  "'; --",
  "\u2028",
  "\ufeff",
];
const notControl = (cp: number) => cp >= 0x20 && cp !== 0x7f && (cp < 0xd800 || cp > 0xdfff);
const anyCodePoint = fc
  .integer({ min: 0x20, max: 0x10ffff })
  .filter(notControl)
  .map((cp) => String.fromCodePoint(cp));
const nameCharacter = fc.oneof(
  fc.constantFrom(...specials, ...specialWords),
  fc.integer({ min: 0x20, max: 0x7e }).map((cp) => String.fromCodePoint(cp)),
  anyCodePoint,
);
const descriptionCharacter = fc.oneof(nameCharacter, fc.constantFrom("\t", "\n", "\r"));
const whiteSpace = fc
  .array(fc.constantFrom(" ", "\u00a0", "\u3000", "\u2003", "\ufeff", "\u2028", "\u1680"), {
    maxLength: 3,
  })
  .map((parts) => parts.join(""));

const codePoints = (text: string) => [...text].length;
const name = fc
  .tuple(
    whiteSpace,
    fc.oneof(
      {
        weight: 4,
        arbitrary: fc
          .array(nameCharacter, { minLength: 1, maxLength: 40 })
          .map((parts) => parts.join("")),
      },
      {
        weight: 1,
        arbitrary: fc
          .array(anyCodePoint, { minLength: 200, maxLength: 200 })
          .map((parts) => parts.join("")),
      },
    ),
    whiteSpace,
  )
  .map(([before, core, after]) => before + core + after)
  .filter((text) => {
    const trimmed = text.trim();
    return codePoints(trimmed) >= 1 && codePoints(trimmed) <= 200;
  });
const description = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.array(descriptionCharacter, { maxLength: 300 }).map((parts) => parts.join("")),
  },
  {
    weight: 1,
    arbitrary: fc
      .array(anyCodePoint, { minLength: 2000, maxLength: 2000 })
      .map((parts) => parts.join("")),
  },
);

/** API.md's rules for a create body, written out independently of the implementation. */
function isValidCreateBody(bytes: Buffer): boolean {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return false;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const fields = value as Record<string, unknown>;
  const keys = Object.keys(fields).sort();
  if (keys.join() !== "description,name") return false;
  const { name: n, description: d } = fields;
  if (typeof n !== "string" || typeof d !== "string") return false;
  if (!n.isWellFormed() || !d.isWellFormed()) return false;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the rule is about control characters.
  if (/[\u0000-\u001f\u007f]/.test(n) || /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(d)) {
    return false;
  }
  const nameLength = codePoints(n.trim());
  return nameLength >= 1 && nameLength <= 200 && codePoints(d) <= 2000;
}

const anyString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  // Lone surrogates and control characters, which JSON.stringify escapes.
  fc
    .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 10 })
    .map((units) => String.fromCharCode(...units)),
  name,
);
const anyField = fc.oneof(anyString, fc.jsonValue({ maxDepth: 2 }));
const anyBody = fc.oneof(
  // Objects shaped almost like an item: missing, extra and wrongly typed fields.
  fc
    .record(
      {
        name: anyField,
        description: anyField,
        id: anyField,
        version: anyField,
        __proto__: anyField,
        constructor: anyField,
      },
      { requiredKeys: [] },
    )
    .map((body) => JSON.stringify(body)),
  fc.record({ name: anyString, description: anyString }).map((body) => JSON.stringify(body)),
  fc.jsonValue({ maxDepth: 3 }).map((body) => JSON.stringify(body)),
  fc.string({ unit: "binary", maxLength: 60 }),
  // Truncations of valid bodies.
  fc.tuple(fc.record({ name, description }), fc.nat()).map(([body, cut]) => {
    const text = JSON.stringify(body);
    return text.slice(0, cut % (text.length + 1));
  }),
);

test.serial(
  "any body either creates one valid item or answers 400 and stores nothing",
  async (t) => {
    const outcomes = { created: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(anyBody, async (body) => {
        const before = await snapshotTable(api.db, api.tableName);
        const response = await post(body);
        const after = await snapshotTable(api.db, api.tableName);
        const text = response.body.toString();
        if (isValidCreateBody(Buffer.from(body))) {
          outcomes.created++;
          assert.equal(response.status, 201, text);
          const item = JSON.parse(text) as Item;
          const sent = JSON.parse(body) as { name: string; description: string };
          assert.deepEqual(
            { name: item.name, description: item.description, version: item.version },
            { name: sent.name.trim(), description: sent.description, version: 1 },
          );
          assert.equal(after.length, before.length + 1, "exactly one item stored");
          assert.deepEqual(
            after.find((row) => row.id === item.id),
            item,
            "stored as answered",
          );
        } else {
          outcomes.refused++;
          assert.equal(response.status, 400, text);
          assert.equal(response.headers["content-type"]?.[0], "application/problem+json");
          assert.deepEqual(after, before, "nothing stored");
        }
      }),
      { numRuns: 300, ...seed },
    );
    t.log(`${outcomes.created} bodies created an item, ${outcomes.refused} were refused`);
    t.true(outcomes.created > 0 && outcomes.refused > 0, "both outcomes were exercised");
  },
);

// Second: its items would make every table snapshot of the property above slower.
test.serial(
  "any valid name and description round-trip exactly through create and read",
  async (t) => {
    await fc.assert(
      fc.asyncProperty(name, description, async (sentName, sentDescription) => {
        const created = await post(
          JSON.stringify({ name: sentName, description: sentDescription }),
        );
        assert.equal(created.status, 201, created.body.toString());
        const item = JSON.parse(created.body.toString()) as Item;
        assert.equal(item.name, sentName.trim(), "the name, trimmed");
        assert.equal(item.description, sentDescription, "the description, exactly");
        const read = await sendRequest(api.url, { method: "GET", target: `/${item.id}` });
        assert.equal(read.status, 200);
        assert.deepEqual(JSON.parse(read.body.toString()), item, "read back as created");
      }),
      { numRuns: 100, ...seed },
    );
    t.pass();
  },
);
