/**
 * The response half of the adapter: turns what a function returned into the HTTP response API
 * Gateway's HTTP API sends (payload format 2.0), and holds the gateway's own answers. Pure.
 */
import type { OutgoingHttpHeaders } from "node:http";

/** An HTTP response ready to write: status, headers (Set-Cookie may repeat) and body bytes. */
export interface GatewayResponse {
  readonly statusCode: number;
  readonly headers: OutgoingHttpHeaders;
  readonly body: Buffer;
}

/** Lambda refuses to return more than 6 MB; API Gateway then answers 500. */
export const lambdaPayloadLimitBytes = 6 * 1024 * 1024;

const gatewayMessages = {
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  413: "Request Entity Too Large",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
} as const;

/** A status API Gateway answers by itself, without (or despite) the function. */
export type GatewayErrorStatus = keyof typeof gatewayMessages;

/** API Gateway's own answer, e.g. 404 `{"message":"Not Found"}` for an unknown route. */
export function gatewayErrorResponse(statusCode: GatewayErrorStatus): GatewayResponse {
  return jsonResponse(statusCode, JSON.stringify({ message: gatewayMessages[statusCode] }));
}

/**
 * Maps a function's result, as the JSON text Lambda hands back, by AWS's rules for payload
 * format 2.0: an object with `statusCode` is a structured response; any other JSON value is
 * "the body" of a 200 `application/json` answer (a string as is, anything else as JSON).
 * A structured response AWS could not use becomes the gateway's 500.
 */
export function responseOfResult(resultJson: string): GatewayResponse {
  if (Buffer.byteLength(resultJson) > lambdaPayloadLimitBytes) return gatewayErrorResponse(500);
  let result: unknown;
  try {
    result = JSON.parse(resultJson);
  } catch {
    return gatewayErrorResponse(500);
  }
  if (typeof result === "string") return jsonResponse(200, result);
  if (!isObject(result) || !("statusCode" in result)) return jsonResponse(200, resultJson);
  return structuredResponseOf(result) ?? gatewayErrorResponse(500);
}

function structuredResponseOf(result: Record<string, unknown>): GatewayResponse | undefined {
  const { statusCode, headers = {}, cookies = [], body = "", isBase64Encoded = false } = result;
  const validStatus = Number.isInteger(statusCode) && Number(statusCode) >= 100;
  if (!validStatus || Number(statusCode) > 599) return undefined;
  if (typeof body !== "string" || typeof isBase64Encoded !== "boolean") return undefined;
  if (!isObject(headers) || !Array.isArray(cookies)) return undefined;
  const outgoing: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!["string", "number", "boolean"].includes(typeof value)) return undefined;
    outgoing[name] = String(value);
  }
  const setCookies = cookies.map(String);
  const existing = outgoing["set-cookie"];
  if (setCookies.length > 0) {
    outgoing["set-cookie"] =
      existing === undefined ? setCookies : [String(existing), ...setCookies];
  }
  const bytes = Buffer.from(body, isBase64Encoded ? "base64" : "utf8");
  return { statusCode: Number(statusCode), headers: outgoing, body: bytes };
}

function jsonResponse(statusCode: number, body: string): GatewayResponse {
  return {
    statusCode,
    headers: { "content-type": "application/json" },
    body: Buffer.from(body),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
