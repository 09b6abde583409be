/**
 * The hostile-input table: every hostile body sent to `POST /` and `PUT /{id}`, plus path,
 * method, query, header and protocol tricks. Each case says what must come back: the function's
 * 4xx problem+json, API Gateway's own answer (404 for a route that does not exist, 413 past its
 * size limits), or the HTTP layer's 4xx for a request that is not valid HTTP at all.
 */
import { hostileBodies } from "./hostile-bodies.ts";
import { signedTokenOf } from "./page-tokens.ts";
import type { RawRequest } from "./raw-http.ts";

/** What a hostile request must get back. */
export type Expectation =
  | { readonly kind: "problem"; readonly status: number; readonly fields?: readonly string[] }
  | { readonly kind: "gateway"; readonly status: 404 | 413 }
  | { readonly kind: "http"; readonly status: 400 | 431 };

/** What the cases may refer to: an item that exists (at version 1) and a real page token. */
export interface HostileContext {
  readonly itemId: string;
  readonly token: string;
}

export interface HostileCase {
  readonly title: string;
  /** The request, or raw bytes (latin1) for requests no HTTP client would build. */
  readonly request: (ctx: HostileContext) => RawRequest | string;
  readonly expect: Expectation;
}

const json: [string, string] = ["Content-Type", "application/json"];
const validBody = '{"name":"n","description":"d"}';
const problem = (status: number, fields?: readonly string[]): Expectation => ({
  kind: "problem",
  status,
  ...(fields ? { fields } : {}),
});
const gateway404: Expectation = { kind: "gateway", status: 404 };
const missingId = "2NkwCKLwMrj2YFTo1JTUF3ewg3y"; // well-formed, never created
const maxKsuidPlusOne = "aWgEPTl1tmebfsQzFP4bxwgy80W";

const get = (target: string, headers: [string, string][] = []): RawRequest => ({
  method: "GET",
  target,
  headers,
});
const withBody = (method: string, target: string, headers: [string, string][] = [json]) => ({
  method,
  target,
  headers,
  body: validBody,
});

/** A token of the page-token layout (text form) signed with a key of our own guessing. */
function forgedToken(form: number, id: string, key = "items-api/lk"): string {
  return signedTokenOf(key, form, Buffer.from(id, "utf8"));
}
const flipFirst = (token: string) => (token[0] === "A" ? "B" : "A") + token.slice(1);

const bodyCases: HostileCase[] = hostileBodies.flatMap((hostile) => {
  const expect = problem(hostile.status, hostile.fields);
  return [
    {
      title: `POST / with ${hostile.title}`,
      request: () => ({ method: "POST", target: "/", headers: [json], body: hostile.body }),
      expect,
    },
    {
      title: `PUT /{id} with ${hostile.title}`,
      request: (ctx) => ({
        method: "PUT",
        target: `/${ctx.itemId}`,
        headers: [json],
        body: hostile.body,
      }),
      expect,
    },
  ];
});

const contentTypeCases: HostileCase[] = [
  ["no Content-Type", []],
  ["Content-Type text/plain", [["Content-Type", "text/plain"]]],
  ["a form Content-Type", [["Content-Type", "application/x-www-form-urlencoded"]]],
  ["a multipart Content-Type", [["Content-Type", "multipart/form-data; boundary=x"]]],
  ["Content-Type application/octet-stream", [["Content-Type", "application/octet-stream"]]],
  ["Content-Type application/json-patch+json", [["Content-Type", "application/json-patch+json"]]],
  ["Content-Type application/jsonx", [["Content-Type", "application/jsonx"]]],
  ["Content-Type application/*", [["Content-Type", "application/*"]]],
  ["Content-Type */*", [["Content-Type", "*/*"]]],
  ["Content-Type json", [["Content-Type", "json"]]],
  ["an empty Content-Type", [["Content-Type", ""]]],
  ["a Latin-1 charset", [["Content-Type", "application/json; charset=latin1"]]],
  ["a UTF-16 charset", [["Content-Type", "application/json; charset=utf-16"]]],
  ["a quoted ISO-8859-1 charset", [["Content-Type", 'application/json; charset="iso-8859-1"']]],
  ["Content-Type sent twice", [json, json]],
  ["two media types in one Content-Type", [["Content-Type", "application/json, text/plain"]]],
  ["text/plain, then application/json", [["Content-Type", "text/plain"], json]],
].flatMap(([what, headers]) => [
  {
    title: `POST / with ${what as string}`,
    request: () => withBody("POST", "/", headers as [string, string][]),
    expect: problem(415),
  },
  {
    title: `PUT /{id} with ${what as string}`,
    request: (ctx: HostileContext) =>
      withBody("PUT", `/${ctx.itemId}`, headers as [string, string][]),
    expect: problem(415),
  },
]);

const framingCases: HostileCase[] = [
  {
    // The 20 bytes are a truncated body; the rest, read as the next request, is not HTTP.
    title: "POST / with a Content-Length shorter than the body",
    request: () => ({
      method: "POST",
      target: "/",
      headers: [json, ["Content-Length", "20"]],
      body: validBody,
    }),
    expect: { kind: "http", status: 400 },
  },
  {
    title: "POST / with a chunked body of broken JSON",
    request: () => ({
      method: "POST",
      target: "/",
      headers: [json, ["Transfer-Encoding", "chunked"]],
      body: '5\r\n{"nam\r\n0\r\n\r\n',
    }),
    expect: problem(400),
  },
  {
    title: "POST / with a 7 MB body (past Lambda's 6 MB payload limit)",
    request: () => ({ method: "POST", target: "/", headers: [json], body: "x".repeat(7e6) }),
    expect: { kind: "gateway", status: 413 },
  },
  {
    title: "POST / with an 11 MB body (past API Gateway's 10 MB limit)",
    request: () => ({ method: "POST", target: "/", headers: [json], body: "x".repeat(11e6) }),
    expect: { kind: "gateway", status: 413 },
  },
  {
    title: "a lower-case method",
    request: () => "get / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    expect: { kind: "http", status: 400 },
  },
  {
    title: "a NUL byte in the request line",
    request: () => "GET /\0 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    expect: { kind: "http", status: 400 },
  },
  {
    title: "a header line without a colon",
    request: () => "GET / HTTP/1.1\r\nHost: localhost\r\nbroken\r\nConnection: close\r\n\r\n",
    expect: { kind: "http", status: 400 },
  },
  {
    title: "a NUL byte in a header value",
    request: () => "GET / HTTP/1.1\r\nHost: localhost\r\nX-A: a\0b\r\nConnection: close\r\n\r\n",
    expect: { kind: "http", status: 400 },
  },
  {
    title: "a request target of 20,000 characters",
    request: () => get(`/${"a".repeat(20_000)}`),
    expect: { kind: "http", status: 431 },
  },
];

const conditionCases: HostileCase[] = [
  ['a weak If-Match W/"1"', 'W/"1"'],
  ['If-Match "0"', '"0"'],
  ["an unquoted If-Match", "1"],
  ["an If-Match that names no version", '"abc"'],
  ["an empty If-Match", ""],
  ["an If-Match of 500 stale versions", Array.from({ length: 500 }, (_, i) => `"${i + 2}"`).join()],
  ["an If-Match of 10,000 characters", `"${"9".repeat(9998)}"`],
].flatMap(([what, value]) => [
  {
    title: `PUT /{id} with ${what}`,
    request: (ctx: HostileContext) =>
      withBody("PUT", `/${ctx.itemId}`, [json, ["If-Match", value as string]]),
    expect: problem(412),
  },
  {
    title: `DELETE /{id} with ${what}`,
    request: (ctx: HostileContext) => ({
      method: "DELETE",
      target: `/${ctx.itemId}`,
      headers: [["If-Match", value as string]],
    }),
    expect: problem(412),
  },
]);

const idCases: HostileCase[] = [
  {
    title: "PUT /{id} with a body id that differs from the path",
    request: (ctx) => ({
      method: "PUT",
      target: `/${ctx.itemId}`,
      headers: [json],
      body: JSON.stringify({ id: missingId, name: "n", description: "d" }),
    }),
    expect: problem(400, ["id"]),
  },
  {
    title: "PUT /{id} with a body id that is a number",
    request: (ctx) => ({
      method: "PUT",
      target: `/${ctx.itemId}`,
      headers: [json],
      body: '{"id":1,"name":"n","description":"d"}',
    }),
    expect: problem(400, ["id"]),
  },
  {
    title: "POST / with a client-chosen id",
    request: () => ({
      method: "POST",
      target: "/",
      headers: [json],
      body: JSON.stringify({ id: missingId, name: "n", description: "d" }),
    }),
    expect: problem(400, ["id"]),
  },
  {
    title: "PUT of a well-formed id that does not exist (update never creates)",
    request: () => withBody("PUT", `/${missingId}`),
    expect: problem(404),
  },
  {
    title: "DELETE of a well-formed id that does not exist",
    request: () => ({ method: "DELETE", target: `/${missingId}` }),
    expect: problem(404),
  },
];

const pathCases: HostileCase[] = [
  { title: "GET /%2F (an encoded slash)", request: () => get("/%2F"), expect: gateway404 },
  {
    title: "GET /..%2F..%2Fetc%2Fpasswd",
    request: () => get("/..%2F..%2Fetc%2Fpasswd"),
    expect: gateway404,
  },
  { title: "GET /{id}%2F..", request: (ctx) => get(`/${ctx.itemId}%2F..`), expect: gateway404 },
  {
    title: "GET /{id}/ (a trailing slash)",
    request: (ctx) => get(`/${ctx.itemId}/`),
    expect: gateway404,
  },
  {
    title: "GET //{id} (a doubled slash)",
    request: (ctx) => get(`//${ctx.itemId}`),
    expect: gateway404,
  },
  { title: "GET /{id}/.. ", request: (ctx) => get(`/${ctx.itemId}/..`), expect: gateway404 },
  {
    title: "an absolute-form target naming another host",
    request: () => get("http://evil.example/"),
    expect: gateway404,
  },
  { title: "GET /..", request: () => get("/.."), expect: problem(404) },
  { title: "GET /.", request: () => get("/."), expect: problem(404) },
  { title: "GET /%2e%2e (encoded dots)", request: () => get("/%2e%2e"), expect: problem(404) },
  {
    title: "GET /{id} with its last character replaced by '-'",
    request: (ctx) => get(`/${ctx.itemId.slice(0, -1)}-`),
    expect: problem(404),
  },
  {
    title: "GET /{id} with a 28th character",
    request: (ctx) => get(`/${ctx.itemId}0`),
    expect: problem(404),
  },
  {
    title: "GET /{id} missing its last character",
    request: (ctx) => get(`/${ctx.itemId.slice(0, -1)}`),
    expect: problem(404),
  },
  {
    title: "GET of a 10,000-character id",
    request: () => get(`/${"a".repeat(10_000)}`),
    expect: problem(404),
  },
  {
    title: "GET of an id one above the largest KSUID",
    request: () => get(`/${maxKsuidPlusOne}`),
    expect: problem(404),
  },
  {
    title: "GET of 27 'z' (beyond the KSUID range)",
    request: () => get(`/${"z".repeat(27)}`),
    expect: problem(404),
  },
  {
    title: "GET /{id}%00 (an encoded NUL)",
    request: (ctx) => get(`/${ctx.itemId}%00`),
    expect: problem(404),
  },
  {
    title: "GET /{id}%20 (an encoded space)",
    request: (ctx) => get(`/${ctx.itemId}%20`),
    expect: problem(404),
  },
  { title: "GET /%ZZ (a broken percent escape)", request: () => get("/%ZZ"), expect: problem(404) },
  {
    title: "GET /%C0%AF (an overlong UTF-8 escape)",
    request: () => get("/%C0%AF"),
    expect: problem(404),
  },
  {
    title: "GET /%ED%A0%80 (an escaped surrogate)",
    request: () => get("/%ED%A0%80"),
    expect: problem(404),
  },
  { title: "PUT /%2F", request: () => withBody("PUT", "/%2F"), expect: gateway404 },
  { title: "PUT /..", request: () => withBody("PUT", "/.."), expect: problem(404) },
  {
    title: "DELETE /%2e%2e%2f",
    request: () => ({ method: "DELETE", target: "/%2e%2e%2f" }),
    expect: gateway404,
  },
  {
    title: "DELETE /{id}%00",
    request: (ctx) => ({ method: "DELETE", target: `/${ctx.itemId}%00` }),
    expect: problem(404),
  },
  {
    title: "DELETE / (no such route)",
    request: () => ({ method: "DELETE", target: "/" }),
    expect: gateway404,
  },
  { title: "PUT / (no such route)", request: () => withBody("PUT", "/"), expect: gateway404 },
  {
    title: "PATCH /{id} (no such route)",
    request: (ctx) => withBody("PATCH", `/${ctx.itemId}`),
    expect: gateway404,
  },
  {
    title: "POST /{id} (no such route)",
    request: (ctx) => withBody("POST", `/${ctx.itemId}`),
    expect: gateway404,
  },
  {
    title: "OPTIONS * (no such route)",
    request: () => ({ method: "OPTIONS", target: "*" }),
    expect: gateway404,
  },
  {
    title: "TRACE / (no such route)",
    request: () => ({ method: "TRACE", target: "/" }),
    expect: gateway404,
  },
];

const listCases: HostileCase[] = [
  ...[
    "limit=0",
    "limit=101",
    "limit=-1",
    "limit=1.5",
    "limit=abc",
    "limit=",
    "limit",
    "limit=1e2",
    "limit=0x10",
    "limit=99999999999999999999",
    "limit=0100",
    "limit=1&limit=2",
    "limit=%00",
    "limit=+1",
    "limit=1%20",
    "limit=NaN",
    "limit=Infinity",
  ].map((query) => ({
    title: `GET /?${query}`,
    request: () => get(`/?${query}`),
    expect: problem(400, ["limit"]),
  })),
  ...(
    [
      ["garbage", () => "garbage"],
      ["empty", () => ""],
      ["the word null", () => "null"],
      ["one character altered", (ctx) => flipFirst(ctx.token)],
      ["truncated by one character", (ctx) => ctx.token.slice(0, -1)],
      ["extended by one character", (ctx) => `${ctx.token}A`],
      ["padded with '='", (ctx) => `${ctx.token}=`],
      ["sent twice", (ctx) => `${ctx.token}&lk=${ctx.token}`],
      ["with an encoded NUL", (ctx) => `${ctx.token}%00`],
      ["of 10,000 characters", () => "A".repeat(10_000)],
      ["forged with a zeroed signature", (ctx) => zeroSignature(ctx.token)],
      ["forged with a guessed key", (ctx) => forgedToken(3, ctx.itemId)],
      ["forged with an empty key", (ctx) => forgedToken(3, ctx.itemId, "")],
      ["forged with an unknown form", (ctx) => forgedToken(4, ctx.itemId)],
      ["forged around a path instead of an id", () => forgedToken(3, "../../../../../etc/passwd")],
    ] satisfies [string, (ctx: HostileContext) => string][]
  ).map(([what, token]) => ({
    title: `GET / with an lk token ${what}`,
    request: (ctx: HostileContext) => get(`/?lk=${token(ctx)}`),
    expect: problem(400, ["lk"]),
  })),
  {
    title: "GET / with both a bad limit and a bad lk",
    request: () => get("/?limit=0&lk=x"),
    expect: problem(400, ["limit", "lk"]),
  },
];

function zeroSignature(token: string): string {
  const bytes = Buffer.from(token, "base64url");
  bytes.fill(0, 1, 16);
  return bytes.toString("base64url");
}

/** Every hostile case, in a stable order. */
export const hostileCases: readonly HostileCase[] = [
  ...bodyCases,
  ...contentTypeCases,
  ...framingCases,
  ...conditionCases,
  ...idCases,
  ...pathCases,
  ...listCases,
];
