/**
 * Builds API Gateway HTTP API payload 2.0 events the way AWS does (the shape of the real events
 * in tests/local/fixtures/apigw-v2/), so handlers are tested with what they will really receive.
 */
import { randomBytes } from "node:crypto";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";

export interface EventOptions {
  readonly method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH";
  /** Route path (`/` or `/{id}`); `id` fills the `{id}` parameter. */
  readonly route?: "/" | "/{id}";
  readonly id?: string;
  readonly query?: Readonly<Record<string, string>>;
  /** Header names are lower-cased, as API Gateway does. */
  readonly headers?: Readonly<Record<string, string>>;
  /** A JSON value to send as an `application/json` body. */
  readonly json?: unknown;
  /** A raw body, sent as is (or base64-encoded when `base64` is set). */
  readonly body?: string | Buffer;
  readonly base64?: boolean;
}

/** A payload 2.0 event for one request. */
export function createEvent(options: EventOptions): APIGatewayProxyEventV2 {
  const route = options.route ?? (options.id === undefined ? "/" : "/{id}");
  const rawPath = options.id === undefined ? "/" : `/${options.id}`;
  const routeKey = `${options.method} ${route}`;
  const rawQueryString = new URLSearchParams(options.query).toString();
  const now = new Date();
  const body = options.json === undefined ? options.body : JSON.stringify(options.json);
  const headers: Record<string, string> = {
    accept: "*/*",
    host: "abc123.execute-api.us-east-1.amazonaws.com",
    "user-agent": "ava",
    "x-forwarded-proto": "https",
    ...(options.json === undefined ? {} : { "content-type": "application/json" }),
  };
  for (const [name, value] of Object.entries(options.headers ?? {}))
    headers[name.toLowerCase()] = value;
  return {
    version: "2.0",
    routeKey,
    rawPath,
    rawQueryString,
    headers,
    ...(options.query ? { queryStringParameters: { ...options.query } } : {}),
    ...(options.id === undefined ? {} : { pathParameters: { id: options.id } }),
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: "abc123.execute-api.us-east-1.amazonaws.com",
      domainPrefix: "abc123",
      http: {
        method: options.method,
        path: rawPath,
        protocol: "HTTP/1.1",
        sourceIp: "127.0.0.1",
        userAgent: "ava",
      },
      requestId: `${randomBytes(10).toString("base64").slice(0, 14)}=`,
      routeKey,
      stage: "$default",
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body === undefined
      ? {}
      : {
          body: options.base64 ? Buffer.from(body).toString("base64") : body.toString(),
          isBase64Encoded: options.base64 ?? false,
        }),
    isBase64Encoded: options.base64 ?? false,
  } as APIGatewayProxyEventV2;
}

/** A Lambda context whose invocation has `remainingMs` left, as Lambda hands it to a handler. */
export function createContext(remainingMs = 10_000, functionName = "create-item"): Context {
  const deadline = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: "512",
    awsRequestId: randomBytes(16).toString("hex"),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "2026/01/01/[$LATEST]test",
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
