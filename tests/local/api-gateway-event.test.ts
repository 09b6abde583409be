/**
 * Golden and edge-case tests of the request half of the adapter: a request equivalent to a real
 * captured event must give that event, and AWS's documented rules must hold case by case.
 */
import { readFileSync } from "node:fs";
import test from "ava";
import {
  eventOf,
  formatRequestTime,
  type GatewayRequest,
  type GatewayRequestContext,
  isTextContentType,
  splitTarget,
} from "../../scripts/local/api-gateway-event.ts";

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`fixtures/apigw-v2/${name}`, import.meta.url), "utf8"));

const baseRequest: GatewayRequest = {
  method: "GET",
  rawPath: "/",
  rawQueryString: "",
  httpVersion: "1.1",
  rawHeaders: ["Host", "localhost:3000", "User-Agent", "curl/8.5.0", "Accept", "*/*"],
  body: Buffer.alloc(0),
  sourceIp: "127.0.0.1",
  localPort: 3000,
};

const baseContext: GatewayRequestContext = {
  requestId: "LV7fzho-PHcEJPw=",
  timeEpoch: 1587481701067,
  traceId: "1-5e9f0c65-1de4d666d4dd26aced652b6c",
  routeKey: "GET /",
  apiId: "local",
  accountId: "123456789012",
};

const eventFor = (request: Partial<GatewayRequest>, context: Partial<GatewayRequestContext> = {}) =>
  eventOf({ ...baseRequest, ...request }, { ...baseContext, ...context });

test("gives the captured event for the same request, apart from the scheme", (t) => {
  const captured = fixture("request-no-authorizer.json");
  const event = eventOf(
    {
      ...baseRequest,
      rawHeaders: [
        ...["Host", "aaaaaaaaaa.execute-api.us-west-2.amazonaws.com"],
        ...["User-Agent", "curl/7.58.0", "Accept", "*/*"],
        ...["X-Amzn-Trace-Id", "Root=1-5e9f0c65-1de4d666d4dd26aced652b6c"],
      ],
      sourceIp: "1.2.3.4",
      localPort: 443,
    },
    { ...baseContext, routeKey: "$default", apiId: "aaaaaaaaaa" },
  );
  // Locally the client speaks plain HTTP; API Gateway only answers HTTPS.
  t.deepEqual(event, {
    ...captured,
    headers: { ...captured.headers, "x-forwarded-proto": "http" },
  });
  t.deepEqual(Object.keys(event.headers), Object.keys(captured.headers));
});

test("joins repeated query keys with commas and keeps the raw query string apart", (t) => {
  const captured = fixture("request-jwt-authorizer.json");
  const event = eventFor({
    rawPath: "/my/path",
    rawQueryString: captured.rawQueryString,
    rawHeaders: ["Cookie", "cookie1; cookie2"],
  });
  t.is(event.rawQueryString, captured.rawQueryString);
  t.deepEqual(event.queryStringParameters, captured.queryStringParameters);
  t.deepEqual(event.cookies, captured.cookies);
});

const cases: Array<
  [string, Partial<GatewayRequest>, (e: ReturnType<typeof eventFor>) => unknown, unknown]
> = [
  [
    "lower-cases header names",
    { rawHeaders: ["X-Custom", "v"] },
    (e) => e.headers["x-custom"],
    "v",
  ],
  [
    "joins repeated headers with commas",
    { rawHeaders: ["X-A", "1", "x-a", "2"] },
    (e) => e.headers["x-a"],
    "1,2",
  ],
  [
    "moves cookies out of the headers, one entry per cookie",
    { rawHeaders: ["Cookie", "a=1; b=2", "Cookie", "c=3"] },
    (e) => [e.cookies, e.headers.cookie],
    [["a=1", "b=2", "c=3"], undefined],
  ],
  ["has no cookies field without cookies", {}, (e) => "cookies" in e, false],
  [
    "states the body length itself",
    { body: Buffer.from("{}"), rawHeaders: ["Transfer-Encoding", "chunked"] },
    (e) => [e.headers["content-length"], e.headers["transfer-encoding"]],
    ["2", undefined],
  ],
  ["says content-length 0 without a body", {}, (e) => e.headers["content-length"], "0"],
  [
    "appends the source ip to x-forwarded-for",
    { rawHeaders: ["X-Forwarded-For", "10.0.0.1"] },
    (e) => e.headers["x-forwarded-for"],
    "10.0.0.1, 127.0.0.1",
  ],
  [
    "starts a trace when the client sent none",
    {},
    (e) => e.headers["x-amzn-trace-id"],
    "Root=1-5e9f0c65-1de4d666d4dd26aced652b6c",
  ],
  [
    "keeps the client's trace header",
    { rawHeaders: ["X-Amzn-Trace-Id", "Root=1-abc"] },
    (e) => e.headers["x-amzn-trace-id"],
    "Root=1-abc",
  ],
  [
    "drops hop-by-hop headers",
    { rawHeaders: ["Connection", "keep-alive", "Keep-Alive", "timeout=5"] },
    (e) => [e.headers.connection, e.headers["keep-alive"]],
    [undefined, undefined],
  ],
  [
    "gives an empty user agent when none was sent",
    { rawHeaders: [] },
    (e) => e.requestContext.http.userAgent,
    "",
  ],
  [
    "decodes query values, + as a space",
    { rawQueryString: "q=a+b%20c&s=%2F%26" },
    (e) => e.queryStringParameters,
    { q: "a b c", s: "/&" },
  ],
  [
    "keeps the raw query string percent-encoded",
    { rawQueryString: "q=a+b%20c" },
    (e) => e.rawQueryString,
    "q=a+b%20c",
  ],
  [
    "maps a key without = to an empty value",
    { rawQueryString: "flag&x=" },
    (e) => e.queryStringParameters,
    { flag: "", x: "" },
  ],
  [
    "keeps malformed percent-encoding as sent",
    { rawQueryString: "q=%zz" },
    (e) => e.queryStringParameters,
    { q: "%zz" },
  ],
  [
    "has no queryStringParameters for an empty query",
    { rawQueryString: "" },
    (e) => "queryStringParameters" in e,
    false,
  ],
  [
    "keeps a query key named __proto__ as data",
    { rawQueryString: "__proto__=x" },
    (e) => Object.getOwnPropertyNames(e.queryStringParameters),
    ["__proto__"],
  ],
  ["has no body field without a body", {}, (e) => ["body" in e, e.isBase64Encoded], [false, false]],
  [
    "passes a JSON body as text",
    { body: Buffer.from('{"a":"é"}'), rawHeaders: ["Content-Type", "application/json"] },
    (e) => [e.body, e.isBase64Encoded],
    ['{"a":"é"}', false],
  ],
  [
    "passes JSON with a charset as text",
    { body: Buffer.from("{}"), rawHeaders: ["Content-Type", "Application/JSON; charset=utf-8"] },
    (e) => [e.body, e.isBase64Encoded],
    ["{}", false],
  ],
  [
    "base64-encodes a JSON body that is not valid UTF-8, so no byte is lost",
    { body: Buffer.from([0x7b, 0xff, 0x7d]), rawHeaders: ["Content-Type", "application/json"] },
    (e) => [e.body, e.isBase64Encoded],
    ["e/99", true],
  ],
  [
    "base64-encodes a binary body",
    { body: Buffer.from([0xff, 0]), rawHeaders: ["Content-Type", "application/octet-stream"] },
    (e) => [e.body, e.isBase64Encoded],
    ["/wA=", true],
  ],
  [
    "base64-encodes a body without a content type",
    { body: Buffer.from("{}") },
    (e) => [e.body, e.isBase64Encoded],
    ["e30=", true],
  ],
  [
    "base64-encodes a form post",
    { body: Buffer.from("a=1"), rawHeaders: ["Content-Type", "application/x-www-form-urlencoded"] },
    (e) => e.isBase64Encoded,
    true,
  ],
  ["gives pathParameters only for a route that has them", {}, (e) => "pathParameters" in e, false],
  [
    "takes the domain from the Host header, without the port",
    {},
    (e) => [e.requestContext.domainName, e.requestContext.domainPrefix],
    ["localhost", "localhost"],
  ],
  ["names the protocol", { httpVersion: "1.0" }, (e) => e.requestContext.http.protocol, "HTTP/1.0"],
];

for (const [title, request, pick, expected] of cases) {
  test(title, (t) => t.deepEqual(pick(eventFor(request)), expected));
}

test("copies the matched path parameters and route key", (t) => {
  const event = eventFor(
    { rawPath: "/a b" },
    { routeKey: "GET /{id}", pathParameters: { id: "a b" } },
  );
  t.deepEqual(event.pathParameters, { id: "a b" });
  t.is(event.routeKey, "GET /{id}");
  t.is(event.requestContext.routeKey, "GET /{id}");
  t.is(event.requestContext.stage, "$default");
});

const targets: Array<[string, string, string]> = [
  ["/abc?x=%2F", "/abc", "x=%2F"],
  ["/a%2Fb", "/a/b", ""],
  ["/caf%C3%A9", "/café", ""],
  ["/bad%E0%A4%A", "/bad%E0%A4%A", ""],
  ["/a?b?c", "/a", "b?c"],
  ["/a#frag", "/a", ""],
  ["/?", "/", ""],
];

for (const [target, rawPath, rawQueryString] of targets) {
  test(`splits ${target} into the decoded path and the raw query`, (t) => {
    t.deepEqual(splitTarget(target), { rawPath, rawQueryString });
  });
}

test("writes the request time as AWS does", (t) => {
  t.is(formatRequestTime(1587481701067), "21/Apr/2020:15:08:21 +0000");
  t.is(formatRequestTime(Date.UTC(2021, 0, 2, 3, 4, 5)), "02/Jan/2021:03:04:05 +0000");
});

test("treats text/*, JSON, XML and JavaScript as text and nothing else", (t) => {
  for (const type of [
    "text/plain",
    "text/csv; charset=latin1",
    "application/json",
    "application/xml",
    "application/javascript",
  ]) {
    t.true(isTextContentType(type), type);
  }
  for (const type of [
    undefined,
    "",
    "application/octet-stream",
    "image/png",
    "multipart/form-data; boundary=x",
    "application/problem+json",
  ]) {
    t.false(isTextContentType(type), String(type));
  }
});
