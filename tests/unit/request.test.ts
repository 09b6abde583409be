import test from "ava";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import {
  BadRequestError,
  ContentTooLargeError,
  type FieldError,
  NotFoundError,
  UnsupportedMediaTypeError,
} from "../../common/errors.ts";
import { pageTokensOf } from "../../common/page-token.ts";
import {
  ifMatchOf,
  ifNoneMatchOf,
  itemIdOf,
  jsonBodyOf,
  maxBodyBytes,
  pageRequestOf,
  preconditionOf,
} from "../../common/request.ts";
import { ItemInput, parseBody } from "../../common/schemas.ts";
import { createEvent } from "../helpers/events.ts";

const id = "2zZyQ3nmbqxsHDjGJN1Ffpm4sbE";
const tokens = pageTokensOf("test page-token key, 32 characters");

/** A POST whose body is `body` as is (base64-encoded when asked), with this Content-Type. */
function post(
  body: string | Buffer | undefined,
  options: { contentType?: string; base64?: boolean } = { contentType: "application/json" },
): APIGatewayProxyEventV2 {
  return createEvent({
    method: "POST",
    headers: options.contentType === undefined ? {} : { "content-type": options.contentType },
    ...(body === undefined ? {} : { body }),
    base64: options.base64 ?? false,
  });
}
const json = "application/json";

/** A JSON object body of exactly `total` bytes of UTF-8, mostly made of `filler`. */
function bodyOfBytes(total: number, filler: string): string {
  const room = total - Buffer.byteLength('{"x":""}');
  const count = Math.floor(room / Buffer.byteLength(filler));
  const body = JSON.stringify({
    x: filler.repeat(count) + "a".repeat(room - count * Buffer.byteLength(filler)),
  });
  if (Buffer.byteLength(body) !== total) throw new Error("bodyOfBytes miscounted");
  return body;
}

// Content-Type.
const acceptsContentType = test.macro({
  exec(t, contentType: string) {
    t.deepEqual(jsonBodyOf(post('{"a":1}', { contentType })), { a: 1 });
  },
  title: (providedTitle = "", contentType) =>
    `reads a body sent as ${providedTitle || JSON.stringify(contentType)}`,
});
test(acceptsContentType, "application/json");
test(acceptsContentType, "Application/JSON");
test(acceptsContentType, "APPLICATION/JSON");
test(acceptsContentType, "application/json; charset=utf-8");
test(acceptsContentType, "application/json;charset=UTF-8");
test(acceptsContentType, "application/json; charset=utf8");
test(acceptsContentType, "application/json; CHARSET=Utf-8");
test(acceptsContentType, 'application/json; charset="utf-8"');
test(acceptsContentType, "application/json ; charset=utf-8");
test(acceptsContentType, " application/json ");
test(acceptsContentType, "application/json;");

const rejectsContentType = test.macro({
  exec(t, contentType: string | undefined) {
    const error = t.throws(() => jsonBodyOf(post('{"a":1}', { contentType })), {
      instanceOf: UnsupportedMediaTypeError,
    });
    t.is(error?.status, 415);
  },
  title: (providedTitle = "", contentType) =>
    `answers 415 to a body sent as ${providedTitle || JSON.stringify(contentType)}`,
});
test("no Content-Type at all", rejectsContentType, undefined);
test(rejectsContentType, "");
test(rejectsContentType, "text/plain");
test(rejectsContentType, "text/json");
test(rejectsContentType, "application/jsonx");
test(rejectsContentType, "application/json-patch+json");
test(rejectsContentType, "application/merge-patch+json");
test(rejectsContentType, "application/x-www-form-urlencoded");
test(rejectsContentType, "multipart/form-data; boundary=x");
test(rejectsContentType, "application/*");
test(rejectsContentType, "*/*");
test(rejectsContentType, "json");
test(rejectsContentType, "application/json; charset=latin1");
test(rejectsContentType, "application/json; charset=iso-8859-1");
test(rejectsContentType, "application/json; charset=utf-16");
test(rejectsContentType, "application/json; charset=");
test(rejectsContentType, 'application/json; charset=""');
test(rejectsContentType, "application/json,application/json");
test(rejectsContentType, "application/json, text/plain");
test(rejectsContentType, "application/json; charset=utf-8,application/json");
test(rejectsContentType, "application/json; v=1,text/plain");

test("reads the Content-Type that API Gateway lower-cased", (t) => {
  const event = post('{"a":1}', { contentType: undefined });
  event.headers = { ...event.headers, "content-type": "application/json" };
  t.deepEqual(jsonBodyOf(event), { a: 1 });
});

// Size.
const readsBody = test.macro({
  exec(t, event: APIGatewayProxyEventV2) {
    t.is(typeof jsonBodyOf(event), "object");
  },
  title: (providedTitle = "") => `reads ${providedTitle}`,
});
const tooLarge = test.macro({
  exec(t, event: APIGatewayProxyEventV2) {
    const error = t.throws(() => jsonBodyOf(event), { instanceOf: ContentTooLargeError });
    t.is(error?.status, 413);
  },
  title: (providedTitle = "") => `answers 413 to ${providedTitle}`,
});
test("the limit is 64 KiB", (t) => {
  t.is(maxBodyBytes, 64 * 1024);
});
test("a body of exactly 64 KiB", readsBody, post(bodyOfBytes(65_536, "a")));
test("a body of 64 KiB + 1 byte", tooLarge, post(bodyOfBytes(65_537, "a")));
test(
  "a base64 body of exactly 64 KiB once decoded",
  readsBody,
  post(bodyOfBytes(65_536, "a"), { contentType: json, base64: true }),
);
test(
  "a base64 body of 64 KiB + 1 byte once decoded",
  tooLarge,
  post(bodyOfBytes(65_537, "a"), { contentType: json, base64: true }),
);
test("a body of exactly 64 KiB of two-byte characters", readsBody, post(bodyOfBytes(65_536, "é")));
test(
  "a body of 64 KiB + 1 byte of two-byte characters (fewer than 32,800 UTF-16 units)",
  tooLarge,
  post(bodyOfBytes(65_537, "é")),
);
test(
  "a body of exactly 64 KiB of three-byte characters",
  readsBody,
  post(bodyOfBytes(65_536, "€")),
);
test(
  "a body of 64 KiB + 1 byte of three-byte characters",
  tooLarge,
  post(bodyOfBytes(65_537, "€")),
);
test("a body of exactly 64 KiB of emoji", readsBody, post(bodyOfBytes(65_536, "😀")));
test("a body of 64 KiB + 1 byte of emoji", tooLarge, post(bodyOfBytes(65_537, "😀")));
test("a body of 1 MiB", tooLarge, post(bodyOfBytes(1024 * 1024, "a")));
test(
  "a 1 MiB body that is not even UTF-8",
  tooLarge,
  post(Buffer.alloc(1024 * 1024, 0xff), { contentType: json, base64: true }),
);

test("the test bodies are as long in UTF-16 as claimed", (t) => {
  t.true(bodyOfBytes(65_537, "é").length < 32_800);
  t.true(Buffer.from(bodyOfBytes(65_536, "a")).toString("base64").length > 65_536);
});

// Encoding.
test("decodes a base64 body", (t) => {
  const event = post(JSON.stringify({ name: "é 😀 茶", description: "\t" }), {
    contentType: json,
    base64: true,
  });
  t.true(event.isBase64Encoded);
  t.deepEqual(jsonBodyOf(event), { name: "é 😀 茶", description: "\t" });
});

test("reads a body that is not base64-encoded as is", (t) => {
  t.deepEqual(jsonBodyOf(post('{"name":"é 😀 茶"}')), { name: "é 😀 茶" });
});

test("ignores a UTF-8 byte order mark, as RFC 8259 allows", (t) => {
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  t.deepEqual(
    jsonBodyOf(
      post(Buffer.concat([bom, Buffer.from('{"a":1}')]), { contentType: json, base64: true }),
    ),
    { a: 1 },
  );
  t.deepEqual(jsonBodyOf(post('\ufeff{"a":1}')), { a: 1 });
});

const badRequest = test.macro({
  exec(t, event: APIGatewayProxyEventV2, detail: RegExp) {
    const error = t.throws(() => jsonBodyOf(event), { instanceOf: BadRequestError });
    t.is(error?.status, 400);
    t.regex(error?.detail ?? "", detail);
  },
  title: (providedTitle = "") => `answers 400 to ${providedTitle}`,
});
const inJsonString = (bytes: number[]) =>
  Buffer.concat([Buffer.from('{"x":"'), Buffer.from(bytes), Buffer.from('"}')]);
const utf8Error = /not valid UTF-8/;
for (const [label, bytes] of [
  ["a byte that never occurs in UTF-8", [0xff]],
  ["a lone continuation byte", [0x80]],
  ["an overlong encoding", [0xc0, 0xaf]],
  ["a truncated sequence", [0xe2, 0x82]],
  ["an encoded surrogate", [0xed, 0xa0, 0x80]],
  ["a code point above U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
  ["Latin-1 text", [0x63, 0x61, 0x66, 0xe9]],
] as const) {
  test(
    `a body with ${label}`,
    badRequest,
    post(inJsonString([...bytes]), { contentType: json, base64: true }),
    utf8Error,
  );
}
test(
  "a body string holding a lone surrogate, which no UTF-8 body can produce",
  badRequest,
  post('{"x":"\ud800"}'),
  utf8Error,
);

test("leaves an escaped lone surrogate to the schema, which refuses it", (t) => {
  const body = jsonBodyOf(post('{"name":"\\ud800","description":""}'));
  t.deepEqual(body, { name: "\ud800", description: "" });
  const error = t.throws(() => parseBody(ItemInput, body), { instanceOf: BadRequestError });
  t.is(error?.errors[0]?.path, "name");
});

const emptyError = /empty/;
test("a POST without a body", badRequest, post(undefined), emptyError);
test("an empty body", badRequest, post(""), emptyError);
test("an empty base64 body", badRequest, post("", { contentType: json, base64: true }), emptyError);

const jsonError = /not valid JSON/;
for (const malformed of [
  " ",
  "{",
  "}",
  "{'a':1}",
  '{"a":1,}',
  "[1,]",
  '{"a":01}',
  "{a:1}",
  "nul",
  "NaN",
  "undefined",
  "{} {}",
  '{"a":1}x',
  '{"a":"\u0001"}',
  "\u0000",
]) {
  test(`a malformed body ${JSON.stringify(malformed)}`, badRequest, post(malformed), jsonError);
}

test("reads JSON values that are not objects, for the schema to refuse", (t) => {
  t.is(jsonBodyOf(post("null")), null);
  t.deepEqual(jsonBodyOf(post("[]")), []);
  t.is(jsonBodyOf(post('"x"')), "x");
  t.is(jsonBodyOf(post("1")), 1);
});

test("refuses a deeply nested body within the size limit with a 4xx, never a crash", (t) => {
  const nested = `${"[".repeat(8_000)}${"]".repeat(8_000)}`;
  try {
    t.true(Array.isArray(jsonBodyOf(post(nested))));
  } catch (error) {
    t.true(error instanceof BadRequestError, String(error));
  }
});

// The query of GET /.
const get = (query?: Record<string, string>) =>
  createEvent({ method: "GET", ...(query ? { query } : {}) });

test("defaults to 20 items from the start", (t) => {
  t.deepEqual(pageRequestOf(get(), tokens), { limit: 20, after: undefined });
  t.deepEqual(pageRequestOf(get({}), tokens), { limit: 20, after: undefined });
});

test("ignores query parameters it does not know", (t) => {
  t.deepEqual(pageRequestOf(get({ page: "2", sort: "name" }), tokens), {
    limit: 20,
    after: undefined,
  });
});

const acceptsLimit = test.macro({
  exec(t, raw: string, expected: number) {
    t.deepEqual(pageRequestOf(get({ limit: raw }), tokens), { limit: expected, after: undefined });
  },
  title: (_providedTitle, raw) => `accepts limit=${raw}`,
});
test(acceptsLimit, "1", 1);
test(acceptsLimit, "2", 2);
test(acceptsLimit, "20", 20);
test(acceptsLimit, "99", 99);
test(acceptsLimit, "100", 100);

const limitError: FieldError = { path: "limit", message: "must be an integer from 1 to 100" };
const lkError: FieldError = {
  path: "lk",
  message: "must be a token from a previous page, unaltered",
};
const rejectsQuery = test.macro({
  exec(t, query: Record<string, string>, expected: readonly FieldError[]) {
    const error = t.throws(() => pageRequestOf(get(query), tokens), {
      instanceOf: BadRequestError,
    });
    t.is(error?.status, 400);
    t.deepEqual(error?.errors, expected);
  },
  title: (providedTitle = "", query) =>
    `rejects ${providedTitle || new URLSearchParams(query as Record<string, string>).toString()}`,
});
for (const limit of [
  "0",
  "101",
  "1000",
  "-1",
  "-0",
  "+5",
  "1.5",
  "1.0",
  "1e2",
  "0x10",
  "abc",
  "",
  "1,2",
  " 5",
  "5 ",
  "5\n",
  "0100",
  "010",
  "01",
  "00",
  "99999999999999999999",
  "Infinity",
  "NaN",
  "５",
  "١٠",
]) {
  test(`limit=${JSON.stringify(limit)}`, rejectsQuery, { limit }, [limitError]);
}

test("resumes after the id in a valid lk", (t) => {
  t.deepEqual(pageRequestOf(get({ lk: tokens.encode(id), limit: "5" }), tokens), {
    limit: 5,
    after: id,
  });
});
test("an lk that is not a token", rejectsQuery, { lk: "abc" }, [lkError]);
test("an empty lk", rejectsQuery, { lk: "" }, [lkError]);
test("an lk of the literal null", rejectsQuery, { lk: "null" }, [lkError]);
test("an altered lk", rejectsQuery, { lk: `${tokens.encode(id).slice(0, -1)}A` }, [lkError]);
test("a bad limit and a bad lk, both at once", rejectsQuery, { limit: "0", lk: "x" }, [
  limitError,
  lkError,
]);

// The {id} path parameter.
test("reads a well-formed id from the path", (t) => {
  t.is(itemIdOf(createEvent({ method: "GET", id })), id);
});

const notFound = test.macro({
  exec(t, event: APIGatewayProxyEventV2) {
    const error = t.throws(() => itemIdOf(event), { instanceOf: NotFoundError });
    t.is(error?.status, 404);
  },
  title: (providedTitle = "") => `answers 404 to ${providedTitle}`,
});
test("an event without path parameters", notFound, createEvent({ method: "GET" }));
for (const malformed of [
  "",
  "x",
  "2zZyQ3nmbqxsHDjGJN1Ffpm4sb",
  "2zZyQ3nmbqxsHDjGJN1Ffpm4sbEE",
  "2zZyQ3nmbqxsHDjGJN1Ffpm4sb-",
  "zzzzzzzzzzzzzzzzzzzzzzzzzzz",
  "%32zZyQ3nmbqxsHDjGJN1Ffpm4sb",
  "123e4567-e89b-12d3-a456-426614174000",
]) {
  test(
    `the path id ${JSON.stringify(malformed)}`,
    notFound,
    createEvent({ method: "GET", id: malformed }),
  );
}

// An update's precondition: If-Match, narrowed by the body's version.
test("a body version alone is a precondition on that version", (t) => {
  t.deepEqual(preconditionOf(undefined, 3), [3]);
  t.deepEqual(preconditionOf("*", 3), [3]);
  t.deepEqual(preconditionOf([2, 3], 3), [3]);
});
test("without a body version, If-Match is the precondition as it is", (t) => {
  t.is(preconditionOf(undefined, undefined), undefined);
  t.is(preconditionOf("*", undefined), "*");
  t.deepEqual(preconditionOf([], undefined), []);
  t.deepEqual(preconditionOf([2], undefined), [2]);
});
test("a body version If-Match does not name contradicts it: 400 on version", (t) => {
  for (const ifMatch of [[2], [1, 2], []]) {
    const error = t.throws(() => preconditionOf(ifMatch, 3), { instanceOf: BadRequestError });
    t.deepEqual(
      error?.errors.map((e) => e.path),
      ["version"],
    );
  }
});

// Conditional request headers.
type Versions = "*" | readonly number[] | undefined;
const readsIfMatch = test.macro({
  exec(t, header: string | undefined, expected: Versions) {
    const headers: Record<string, string> = header === undefined ? {} : { "if-match": header };
    t.deepEqual(ifMatchOf(createEvent({ method: "PUT", id, headers })), expected);
  },
  title: (providedTitle = "", header, expected) =>
    `reads If-Match ${providedTitle || JSON.stringify(header)} as ${JSON.stringify(expected)}`,
});
test("absent", readsIfMatch, undefined, undefined);
test(readsIfMatch, "*", "*");
test(readsIfMatch, " * ", "*");
test(readsIfMatch, '"3"', [3]);
test(readsIfMatch, ' "3" ', [3]);
test(readsIfMatch, '"1", "2"', [1, 2]);
test(readsIfMatch, '"1","2"', [1, 2]);
test(readsIfMatch, ' "1" ,\t"2" ', [1, 2]);
test(readsIfMatch, '"2", "2"', [2]);
test(readsIfMatch, '"123456789012345"', [123_456_789_012_345]);
test("with a weak tag, which strong comparison never matches", readsIfMatch, 'W/"3"', []);
test("with a weak and a strong tag", readsIfMatch, 'W/"1", "2"', [2]);
test("with garbage", readsIfMatch, "garbage", []);
test("empty", readsIfMatch, "", []);
test(readsIfMatch, "3", []);
test(readsIfMatch, '"01"', []);
test(readsIfMatch, '"0"', []);
test(readsIfMatch, '"-1"', []);
test(readsIfMatch, '"1.0"', []);
test(readsIfMatch, '" 1"', []);
test(readsIfMatch, '""', []);
test(readsIfMatch, '"*"', []);
test(readsIfMatch, '"3', []);
test(readsIfMatch, '"1,2"', []);
test("with a version too large to be exact", readsIfMatch, '"1234567890123456"', []);

const readsIfNoneMatch = test.macro({
  exec(t, header: string | undefined, expected: Versions) {
    const headers: Record<string, string> = header === undefined ? {} : { "if-none-match": header };
    t.deepEqual(ifNoneMatchOf(createEvent({ method: "GET", id, headers })), expected);
  },
  title: (providedTitle = "", header, expected) =>
    `reads If-None-Match ${providedTitle || JSON.stringify(header)} as ${JSON.stringify(expected)}`,
});
test("when absent", readsIfNoneMatch, undefined, undefined);
test(readsIfNoneMatch, "*", "*");
test(readsIfNoneMatch, '"3"', [3]);
test("with a weak tag, which weak comparison matches", readsIfNoneMatch, 'W/"3"', [3]);
test(readsIfNoneMatch, 'W/"1", "2"', [1, 2]);
test(readsIfNoneMatch, ' "1" ,  W/"1" ', [1]);
test("with a lower-case weak prefix, which is not one", readsIfNoneMatch, 'w/"3"', []);
test("that is garbage", readsIfNoneMatch, "garbage", []);
test(readsIfNoneMatch, '"01"', []);
test(readsIfNoneMatch, "3", []);
