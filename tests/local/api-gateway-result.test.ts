/**
 * The response half of the adapter: what a function returns (as the JSON text Lambda hands
 * back) becomes the response API Gateway sends, by AWS's rules for payload format 2.0.
 */
import test from "ava";
import {
  gatewayErrorResponse,
  lambdaPayloadLimitBytes,
  responseOfResult,
} from "../../scripts/local/api-gateway-result.ts";

const internalError = {
  status: 500,
  type: "application/json",
  body: '{"message":"Internal Server Error"}',
};

const mapped = (result: unknown) => {
  const response = responseOfResult(typeof result === "string" ? result : JSON.stringify(result));
  return {
    status: response.statusCode,
    type: response.headers["content-type"],
    body: response.body.toString(),
  };
};

const inferred: Array<[string, unknown, object]> = [
  [
    "a string is the body itself",
    JSON.stringify("hello"),
    { status: 200, type: "application/json", body: "hello" },
  ],
  [
    "an object without statusCode is a JSON body",
    { a: 1 },
    { status: 200, type: "application/json", body: '{"a":1}' },
  ],
  [
    "an object with body but no statusCode is still a JSON body",
    { body: "x" },
    { status: 200, type: "application/json", body: '{"body":"x"}' },
  ],
  ["an array is a JSON body", [1, 2], { status: 200, type: "application/json", body: "[1,2]" }],
  ["a number is a JSON body", 42, { status: 200, type: "application/json", body: "42" }],
  [
    "null (a handler returning nothing) is the body null",
    "null",
    { status: 200, type: "application/json", body: "null" },
  ],
];

for (const [title, result, expected] of inferred) {
  test(`infers a 200: ${title}`, (t) => t.deepEqual(mapped(result), expected));
}

const malformed: Array<[string, unknown]> = [
  ["a statusCode that is a string", { statusCode: "200" }],
  ["a statusCode below 100", { statusCode: 99 }],
  ["a statusCode above 599", { statusCode: 600 }],
  ["a fractional statusCode", { statusCode: 200.5 }],
  ["a body that is not a string", { statusCode: 200, body: { a: 1 } }],
  ["a header value that is an object", { statusCode: 200, headers: { a: { b: 1 } } }],
  ["cookies that are not a list", { statusCode: 200, cookies: "a=1" }],
  ["an isBase64Encoded that is not a boolean", { statusCode: 200, isBase64Encoded: "true" }],
  ["text that is not JSON", "{not json"],
];

for (const [title, result] of malformed) {
  test(`answers the gateway's 500 for ${title}`, (t) => t.deepEqual(mapped(result), internalError));
}

test("answers 500 for a result over Lambda's 6 MB", (t) => {
  t.deepEqual(mapped(JSON.stringify("x".repeat(lambdaPayloadLimitBytes))), internalError);
});

test("keeps the status, headers and body of a structured result", (t) => {
  const response = responseOfResult(
    JSON.stringify({
      statusCode: 201,
      headers: { Location: "/a", "x-n": 1, "x-b": true },
      body: "{}",
    }),
  );
  t.is(response.statusCode, 201);
  t.deepEqual(response.headers, { Location: "/a", "x-n": "1", "x-b": "true" });
  t.is(response.body.toString(), "{}");
});

test("adds no content type to a structured result that has none", (t) => {
  t.deepEqual(responseOfResult(JSON.stringify({ statusCode: 204 })).headers, {});
});

test("turns each cookie into its own Set-Cookie header", (t) => {
  const result = {
    statusCode: 200,
    headers: { "set-cookie": "a=0" },
    cookies: ["b=1; Path=/", "c=2"],
  };
  t.deepEqual(responseOfResult(JSON.stringify(result)).headers["set-cookie"], [
    "a=0",
    "b=1; Path=/",
    "c=2",
  ]);
});

test("decodes a base64 body to its bytes", (t) => {
  const result = {
    statusCode: 200,
    body: Buffer.from([0, 255, 1]).toString("base64"),
    isBase64Encoded: true,
  };
  t.deepEqual([...responseOfResult(JSON.stringify(result)).body], [0, 255, 1]);
});

test("sends an empty body when a structured result has none", (t) => {
  t.is(responseOfResult(JSON.stringify({ statusCode: 200 })).body.length, 0);
});

test("answers the gateway's own errors with its JSON message", (t) => {
  const bodies = ([404, 413, 500, 503] as const).map((s) =>
    gatewayErrorResponse(s).body.toString(),
  );
  t.deepEqual(bodies, [
    '{"message":"Not Found"}',
    '{"message":"Request Entity Too Large"}',
    '{"message":"Internal Server Error"}',
    '{"message":"Service Unavailable"}',
  ]);
});
