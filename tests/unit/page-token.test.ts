import { createHash } from "node:crypto";
import test from "ava";
import KSUID from "ksuid";
import { BadRequestError } from "../../common/errors.ts";
import { newItemId } from "../../common/item-id.ts";
import { ksuidBytesOf, ksuidOf, pageTokensOf } from "../../common/page-token.ts";
import { signedTokenOf } from "../helpers/page-tokens.ts";

const key = "a page-token key of the test, 41 chars...";
const tokens = pageTokensOf(key);
const ids = [
  "000000000000000000000000000", // the smallest KSUID
  "0ujsswThIGTUYm2K8FjOOfXtY1K",
  "2zZyQ3nmbqxsHDjGJN1Ffpm4sbE",
  "aWgEPTl1tmebfsQzFP4bxwgy80V", // the largest KSUID
];
// Rows another tool wrote: any string DynamoDB takes as a key, up to its 2,048 bytes.
const foreignIds = [
  "x",
  "hello world",
  "../../etc/passwd",
  "é 😀 中文",
  "line\nbreak\u0000nul",
  "zzzzzzzzzzzzzzzzzzzzzzzzzzz", // KSUID-shaped, above the largest KSUID
  "2zZyQ3nmbqxsHDjGJN1Ffpm4sbEE", // one character too long for a KSUID
  "k".repeat(2048),
  "é".repeat(1024),
];
const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const token = tokens.encode("2zZyQ3nmbqxsHDjGJN1Ffpm4sbE");

/**
 * A token in today's layout (a form byte, a 15-byte HMAC-SHA-256, the id: a KSUID's 20 bytes in
 * form 2, UTF-8 in form 3), signed with a key of the caller's choosing: what a forger, or
 * another deployment, makes. The KSUID's bytes come from the ksuid package.
 */
function signedToken(signingKey: string, id: string, form = isKsuid(id) ? 2 : 3): string {
  const idBytes = form === 2 ? KSUID.parse(id).raw : Buffer.from(id, "utf8");
  return signedTokenOf(signingKey, form, idBytes);
}

function isKsuid(id: string): boolean {
  return /^[0-9A-Za-z]{27}$/.test(id) && id <= "aWgEPTl1tmebfsQzFP4bxwgy80V";
}

function isRejected(candidate: string): boolean {
  try {
    tokens.decode(candidate);
    return false;
  } catch (error) {
    if (!(error instanceof BadRequestError)) throw error;
    return error.errors.length === 1 && error.errors[0]?.path === "lk";
  }
}

for (const id of [...ids, ...foreignIds]) {
  test(`decodes the token of ${JSON.stringify(id.slice(0, 40))} (${id.length} characters) back to it`, (t) => {
    t.is(tokens.decode(tokens.encode(id)), id);
  });
}

test("decodes the tokens of fresh ids back to them", (t) => {
  for (let i = 0; i < 200; i++) {
    const id = newItemId();
    t.is(tokens.decode(tokens.encode(id)), id);
  }
});

test("encodes a token that needs no escaping in a URL", (t) => {
  for (const id of [...ids, ...foreignIds, ...Array.from({ length: 200 }, newItemId)]) {
    const encoded = tokens.encode(id);
    t.regex(encoded, /^[A-Za-z0-9_-]+$/);
    t.is(encodeURIComponent(encoded), encoded);
  }
});

test("encodes the same id to the same token", (t) => {
  t.is(tokens.encode(ids[1] as string), tokens.encode(ids[1] as string));
});

test("does not show the id in plain text", (t) => {
  t.false(token.includes("2zZyQ3nmbqxsHDjGJN1Ffpm4sbE"));
});

test("the helper signs as the module does, so the rejections below are about the key", (t) => {
  for (const id of [...ids, ...foreignIds]) t.is(signedToken(key, id), tokens.encode(id), id);
});

test("a KSUID's token is 48 characters; another id's is as long as its UTF-8 needs", (t) => {
  for (const id of [...ids, ...Array.from({ length: 50 }, newItemId)]) {
    t.is(tokens.encode(id).length, 48, id);
  }
  t.is(tokens.encode("x").length, Math.ceil(((1 + 15 + 1) * 4) / 3));
  t.is(tokens.encode("é").length, Math.ceil(((1 + 15 + 2) * 4) / 3));
});

test("a KSUID's 20 bytes, both ways, agree with the ksuid package", (t) => {
  for (const id of [...ids, ...Array.from({ length: 500 }, newItemId)]) {
    const raw = KSUID.parse(id).raw;
    t.deepEqual(ksuidBytesOf(id), raw, id);
    t.is(ksuidOf(raw), id);
  }
});

test("a signature binds the form: a KSUID's signature on its text form is refused", (t) => {
  const id = "2zZyQ3nmbqxsHDjGJN1Ffpm4sbE";
  const bytes = Buffer.from(tokens.encode(id), "base64url");
  const asText = Buffer.concat([Buffer.of(3), bytes.subarray(1, 16), Buffer.from(id)]);
  t.true(isRejected(asText.toString("base64url")));
  const swapped = Buffer.concat([Buffer.of(3), bytes.subarray(1)]);
  t.true(isRejected(swapped.toString("base64url")));
});

test("refuses a token made under another key (another stage, or a rotated key)", (t) => {
  const other = pageTokensOf("the key of another deployment, 39 chars");
  for (const id of [...ids, ...foreignIds]) {
    t.true(isRejected(other.encode(id)), id);
    t.true(isRejected(signedToken("", id)), `empty key: ${id}`);
  }
});

test("refuses a forgery: every id signed with a guessed key", (t) => {
  for (const guess of ["items-api/lk", "items-api", "secret", key.slice(0, -1), `${key} `]) {
    t.true(isRejected(signedToken(guess, "2zZyQ3nmbqxsHDjGJN1Ffpm4sbE")), guess);
  }
});

test("refuses the unkeyed tokens of the previous format", (t) => {
  const id = Buffer.from("2zZyQ3nmbqxsHDjGJN1Ffpm4sbE", "latin1");
  const versionAndId = Buffer.concat([Buffer.of(1), id]);
  const check = createHash("sha256")
    .update("items-api/lk\0")
    .update(versionAndId)
    .digest()
    .subarray(0, 8);
  t.true(isRejected(Buffer.concat([versionAndId, check]).toString("base64url")));
});

test("rejects every single-character alteration of a valid token", (t) => {
  for (const id of [...ids, "x", "é 😀 中文"]) {
    const valid = tokens.encode(id);
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
  const other = tokens.encode(ids[1] as string);
  t.true(isRejected(token.slice(0, 24) + other.slice(24)));
  t.true(isRejected(other.slice(0, 24) + token.slice(24)));
});

const rejects = test.macro({
  exec(t, candidate: string) {
    const error = t.throws(() => tokens.decode(candidate), { instanceOf: BadRequestError });
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
  .map((last) => tokens.encode(`2zZyQ3nmbqxsHDjGJN1Ffpm4sb${last}`))
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
test("a percent-encoded token", rejects, encodeURIComponent(`${token.slice(0, -1)}=`));
test("a bare item id", rejects, "2zZyQ3nmbqxsHDjGJN1Ffpm4sbE");
test("the literal null", rejects, "null");
test("a token longer than the longest id makes", rejects, "A".repeat(10_000));
test("a token with no id", rejects, signedToken(key, ""));
test("a KSUID-form token of 19 bytes", rejects, signedTokenOf(key, 2, Buffer.alloc(19)));
test("a KSUID-form token of 21 bytes", rejects, signedTokenOf(key, 2, Buffer.alloc(21)));
test("a token of an unknown form", rejects, signedToken(key, "2zZyQ3nmbqxsHDjGJN1Ffpm4sbE", 4));
test("a token of form 1", rejects, signedToken(key, "2zZyQ3nmbqxsHDjGJN1Ffpm4sbE", 1));
test("a token of form 0", rejects, signedToken(key, "2zZyQ3nmbqxsHDjGJN1Ffpm4sbE", 0));
// Only a holder of the key could make it; decoding it must still fail cleanly.
test(
  "a correctly signed id that is not UTF-8",
  rejects,
  signedTokenOf(key, 3, Buffer.of(0xff, 0xfe)),
);

test("a token holding URL-safe characters decodes, so its standard spelling is refused for them", (t) => {
  t.is(typeof tokenWithUrlCharacters, "string");
  t.is(tokens.decode(tokenWithUrlCharacters).length, 27);
});

test("one spelling per token: the unused bits of the last character must be zero", (t) => {
  // 1 + 15 + 1 = 17 bytes: the last of 23 characters carries 4 bits, 2 of them unused.
  const short = tokens.encode("x");
  t.is(short.length, 23);
  const last = alphabet.indexOf(short.at(-1) as string);
  for (let unused = 1; unused < 4; unused++) {
    const variant = short.slice(0, -1) + alphabet[last | unused];
    t.deepEqual(Buffer.from(variant, "base64url"), Buffer.from(short, "base64url"));
    t.true(isRejected(variant), variant);
  }
});
