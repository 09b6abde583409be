import { createHash } from "node:crypto";
import test from "ava";
import { BadRequestError } from "../../common/errors.ts";
import { newItemId } from "../../common/item-id.ts";
import { decodePageToken, encodePageToken } from "../../common/page-token.ts";

const ids = [
  "000000000000000000000000000", // the smallest KSUID
  "0ujsswThIGTUYm2K8FjOOfXtY1K",
  "2zZyQ3nmbqxsHDjGJN1Ffpm4sbE",
  "aWgEPTl1tmebfsQzFP4bxwgy80V", // the largest KSUID
];
const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const token = encodePageToken("2zZyQ3nmbqxsHDjGJN1Ffpm4sbE");

/**
 * A token in today's format (version byte, id, truncated SHA-256), built by hand so that the
 * check is valid but the content is not: what a careless client or a forger could send.
 */
function forgeToken(version: number, id: string): string {
  const versionAndId = Buffer.concat([Buffer.of(version), Buffer.from(id, "latin1")]);
  const check = createHash("sha256")
    .update("items-api/lk\0")
    .update(versionAndId)
    .digest()
    .subarray(0, 8);
  return Buffer.concat([versionAndId, check]).toString("base64url");
}

function isRejected(candidate: string): boolean {
  try {
    decodePageToken(candidate);
    return false;
  } catch (error) {
    if (!(error instanceof BadRequestError)) throw error;
    return error.errors.length === 1 && error.errors[0]?.path === "lk";
  }
}

for (const id of ids) {
  test(`decodes the token of ${id} back to it`, (t) => {
    t.is(decodePageToken(encodePageToken(id)), id);
  });
}

test("decodes the tokens of fresh ids back to them", (t) => {
  for (let i = 0; i < 200; i++) {
    const id = newItemId();
    t.is(decodePageToken(encodePageToken(id)), id);
  }
});

test("encodes a token that needs no escaping in a URL", (t) => {
  for (const id of [...ids, ...Array.from({ length: 200 }, newItemId)]) {
    const encoded = encodePageToken(id);
    t.regex(encoded, /^[A-Za-z0-9_-]+$/);
    t.is(encodeURIComponent(encoded), encoded);
  }
});

test("encodes the same id to the same token", (t) => {
  t.is(encodePageToken(ids[1] as string), encodePageToken(ids[1] as string));
});

test("does not show the id in plain text", (t) => {
  t.false(token.includes("2zZyQ3nmbqxsHDjGJN1Ffpm4sbE"));
});

test("rejects every single-character alteration of a valid token", (t) => {
  for (const id of ids) {
    const valid = encodePageToken(id);
    for (let position = 0; position < valid.length; position++) {
      for (const substitute of alphabet) {
        if (substitute === valid[position]) continue;
        const altered = valid.slice(0, position) + substitute + valid.slice(position + 1);
        if (!isRejected(altered)) t.fail(`accepted ${altered}, altered at ${position}`);
      }
    }
  }
  t.pass();
});

test("rejects every truncation of a valid token", (t) => {
  for (let length = 0; length < token.length; length++) {
    t.true(isRejected(token.slice(0, length)), `accepted the first ${length} characters`);
  }
  t.true(isRejected(token.slice(1)), "accepted the token without its first character");
});

test("rejects a valid token extended by one character", (t) => {
  for (const extra of alphabet) {
    t.true(isRejected(token + extra), `accepted ${extra} at the end`);
    t.true(isRejected(extra + token), `accepted ${extra} at the start`);
  }
});

test("rejects two valid tokens swapped halfway", (t) => {
  const other = encodePageToken(ids[1] as string);
  t.true(isRejected(token.slice(0, 24) + other.slice(24)));
  t.true(isRejected(other.slice(0, 24) + token.slice(24)));
});

const rejects = test.macro({
  exec(t, candidate: string) {
    const error = t.throws(() => decodePageToken(candidate), { instanceOf: BadRequestError });
    t.is(error?.status, 400);
    t.deepEqual(
      error?.errors.map((e) => e.path),
      ["lk"],
    );
    t.is(typeof error?.errors[0]?.message, "string");
  },
  title: (providedTitle = "") => `rejects ${providedTitle}`,
});

test("an empty token", rejects, "");
test("a token with base64 padding", rejects, `${token}=`);
test("a token with double padding", rejects, `${token}==`);
test("a token with padding in place of its last character", rejects, `${token.slice(0, -1)}=`);
// The first of a few ids whose token holds "-" or "_", which standard base64 spells "+" or "/".
const tokenWithUrlCharacters = [..."0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"]
  .map((last) => encodePageToken(`2zZyQ3nmbqxsHDjGJN1Ffpm4sb${last}`))
  .find((candidate) => /[-_]/.test(candidate)) as string;
test(
  "a token in standard base64",
  rejects,
  Buffer.from(tokenWithUrlCharacters, "base64url").toString("base64"),
);
for (const character of ["+", "/", "=", " ", "%", ".", "~", "é", "\u0000"]) {
  test(
    `a token with ${JSON.stringify(character)} in place of a character`,
    rejects,
    `${token.slice(0, 10)}${character}${token.slice(11)}`,
  );
}
test("a token with surrounding white space", rejects, ` ${token} `);
test("a token with a trailing line feed", rejects, `${token}\n`);
test("a percent-encoded token", rejects, encodeURIComponent(`${token.slice(0, 47)}=`));
test("a bare item id", rejects, "2zZyQ3nmbqxsHDjGJN1Ffpm4sbE");
test("the literal null", rejects, "null");
test(
  "a token whose check is valid but whose id is above the largest KSUID",
  rejects,
  encodePageToken("zzzzzzzzzzzzzzzzzzzzzzzzzzz"),
);
test(
  "a token whose check is valid but whose id is not base62",
  rejects,
  encodePageToken("!!!!!!!!!!!!!!!!!!!!!!!!!!!"),
);
test(
  "a token whose check is valid but whose id has non-ASCII bytes",
  rejects,
  forgeToken(1, "\u00ff".repeat(27)),
);
test(
  "a token whose check is valid but whose id is too short",
  rejects,
  encodePageToken("2zZyQ3nmbqxsHDjGJN1Ffpm4sb"),
);
test(
  "a token whose check is valid but whose id is too long",
  rejects,
  encodePageToken("2zZyQ3nmbqxsHDjGJN1Ffpm4sbEE"),
);
test("a token of another format version", rejects, forgeToken(2, "2zZyQ3nmbqxsHDjGJN1Ffpm4sbE"));
test("a token of format version 0", rejects, forgeToken(0, "2zZyQ3nmbqxsHDjGJN1Ffpm4sbE"));

test("the forged helper matches today's format, so the rejections above are about content", (t) => {
  t.is(forgeToken(1, "2zZyQ3nmbqxsHDjGJN1Ffpm4sbE"), token);
});

test("a token holding URL-safe characters decodes, so its standard spelling is refused for them", (t) => {
  t.is(typeof tokenWithUrlCharacters, "string");
  t.is(decodePageToken(tokenWithUrlCharacters).length, 27);
});
