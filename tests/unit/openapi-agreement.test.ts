/**
 * The superstruct validators (common/schemas.ts) and the document's JSON Schemas
 * (scripts/openapi/schemas.ts) are both built from common/item-fields.ts. What is left to check is
 * each translation: the same verdict on every limit's boundary, and on every character of the
 * Basic Multilingual Plane alone, at a name's edge and inside it, and in a description.
 */
import test from "ava";
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

function accepts<T>(struct: Struct<T>, value: unknown): boolean {
  try {
    parseBody(struct, value);
    return true;
  } catch (error) {
    if (error instanceof BadRequestError) return false;
    throw error;
  }
}

/** The bodies on which the two disagree (the PUT ones checked as a round trip of `read`). */
function disagreements(bodies: readonly unknown[]): unknown[] {
  return bodies.filter(
    (body) =>
      accepts(ItemInput, body) !== acceptsInput(body) ||
      accepts(ItemReplacement(pathId), body) !== acceptsReplacement(body),
  );
}

const item = (name: unknown, description: unknown = "") => ({ name, description });
const read = { id: pathId, ...item("a"), createdAt: "t", updatedAt: "t", version: 3 };

test("both give the same verdict at every limit and on every field of a PUT", (t) => {
  const bodies = [
    ...["n", "😀"].flatMap((unit) => [unit.repeat(200), unit.repeat(201)].map((n) => item(n))),
    item(` ${"n".repeat(200)}\u3000`),
    item(` ${"n".repeat(199)} ab `),
    item(""),
    item(" \u00a0\u3000\ufeff"),
    item("a\ud83d\ude00b"),
    ...[2000, 2001].map((length) => item("d", "🦄".repeat(length))),
    ...[{ description: "" }, { name: "a" }, item(1), item("a", null), { ...item("a"), x: 1 }],
    ...[[item("a")], null, "item"],
    ...[pathId, "3MXggTvAHWiayjV7Uy3yV9Hw0SK", 1].map((id) => ({ ...read, id })),
    ...[1, Number.MAX_SAFE_INTEGER, 2 ** 53, 0, -1, 1.5, "3", null].map((version) => ({
      ...read,
      version,
    })),
    ...[{ createdAt: "" }, { createdAt: 0 }, { updatedAt: null }].map((f) => ({ ...read, ...f })),
  ];
  t.deepEqual(disagreements(bodies), []);
  t.true(accepts(ItemReplacement(pathId), read) && !accepts(ItemInput, read));
});

test("both give the same verdict on every BMP character, alone, at a name's edge, inside", (t) => {
  const bodies = [];
  for (let code = 0; code <= 0xffff; code++) {
    const c = String.fromCharCode(code);
    bodies.push(item(c), item("a", c), item(`${c}a`), item(`a${c}b`));
  }
  t.deepEqual(disagreements(bodies), []);
});
