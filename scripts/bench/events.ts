/** API Gateway HTTP API payload 2.0 events shaped like AWS's (tests/local/fixtures/apigw-v2/). */
import { randomBytes } from "node:crypto";
import type { APIGatewayProxyEventV2 } from "aws-lambda";

export interface BenchRequest {
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  readonly id?: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly json?: unknown;
}

/** One request as API Gateway delivers it to a function. */
export function eventOf(request: BenchRequest): APIGatewayProxyEventV2 {
  const route = request.id === undefined ? "/" : "/{id}";
  const rawPath = request.id === undefined ? "/" : `/${request.id}`;
  const routeKey = `${request.method} ${route}`;
  const body = request.json === undefined ? undefined : JSON.stringify(request.json);
  const now = new Date();
  const host = "abc123.execute-api.us-east-1.amazonaws.com";
  return {
    version: "2.0",
    routeKey,
    rawPath,
    rawQueryString: new URLSearchParams(request.query).toString(),
    headers: {
      accept: "*/*",
      "content-length": String(body === undefined ? 0 : Buffer.byteLength(body)),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      host,
      "user-agent": "autocannon",
      "x-amzn-trace-id": "Root=1-5e9f0c65-1de4d666d4dd26aced652b6c",
      "x-forwarded-for": "203.0.113.7",
      "x-forwarded-port": "443",
      "x-forwarded-proto": "https",
    },
    ...(request.query ? { queryStringParameters: { ...request.query } } : {}),
    ...(request.id === undefined ? {} : { pathParameters: { id: request.id } }),
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: host,
      domainPrefix: "abc123",
      http: {
        method: request.method,
        path: rawPath,
        protocol: "HTTP/1.1",
        sourceIp: "203.0.113.7",
        userAgent: "autocannon",
      },
      requestId: `${randomBytes(10).toString("base64url").slice(0, 14)}=`,
      routeKey,
      stage: "$default",
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
  };
}
