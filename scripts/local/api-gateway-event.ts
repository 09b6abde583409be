/**
 * The request half of the adapter: turns the parts of a Node request into the event API
 * Gateway's HTTP API hands a Lambda function (payload format 2.0). Pure: the caller passes the
 * request id, time and trace id, so golden tests can pin every field.
 */
import { isUtf8 } from "node:buffer";
import type { APIGatewayProxyEventV2 } from "aws-lambda";

/** The parts of an incoming HTTP request the gateway looks at. */
export interface GatewayRequest {
  readonly method: string;
  /** The path as the gateway sees it: percent-decoded (see `splitTarget`). */
  readonly rawPath: string;
  /** Everything after the first `?`, still percent-encoded. */
  readonly rawQueryString: string;
  /** `req.httpVersion`, e.g. `1.1`. */
  readonly httpVersion: string;
  /** `req.rawHeaders`: names and values alternating, in arrival order, repeats kept. */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  readonly sourceIp: string;
  /** The port the client connected to (AWS says 443 in `x-forwarded-port`). */
  readonly localPort: number;
}

/** What the gateway itself decides for a request: ids, time and the matched route. */
export interface GatewayRequestContext {
  readonly requestId: string;
  readonly timeEpoch: number;
  /** X-Ray style trace id, `1-<hex time>-<24 hex>`. */
  readonly traceId: string;
  readonly routeKey: string;
  readonly pathParameters?: Readonly<Record<string, string>>;
  readonly apiId: string;
  readonly accountId: string;
}

// Hop-by-hop headers end at the gateway, which states the body's length itself; cookies move
// to the event's `cookies`.
const headersNotForwarded = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
  "te",
  "trailer",
  "content-length",
  "cookie",
]);

/** Builds the payload format 2.0 event for a request routed to a function. */
export function eventOf(request: GatewayRequest, context: GatewayRequestContext) {
  const { headers, cookies } = headersAndCookiesOf(request, context.traceId);
  const host = headers.host ?? "localhost";
  const domainName = host.replace(/:\d+$/, "");
  const queryStringParameters = queryParametersOf(request.rawQueryString);
  const hasBody = request.body.length > 0;
  // A text body that is not valid UTF-8 cannot travel as a JSON string without losing bytes
  // (they would become U+FFFD), so it goes base64-encoded and the handler sees what was sent.
  const base64 = hasBody && (!isTextContentType(headers["content-type"]) || !isUtf8(request.body));
  const event: APIGatewayProxyEventV2 = {
    version: "2.0",
    routeKey: context.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    ...(cookies.length > 0 && { cookies }),
    headers,
    ...(queryStringParameters && { queryStringParameters }),
    requestContext: {
      accountId: context.accountId,
      apiId: context.apiId,
      domainName,
      domainPrefix: domainName.split(".")[0] ?? domainName,
      http: {
        method: request.method,
        path: request.rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.sourceIp,
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: context.requestId,
      routeKey: context.routeKey,
      stage: "$default",
      time: formatRequestTime(context.timeEpoch),
      timeEpoch: context.timeEpoch,
    },
    ...(context.pathParameters && { pathParameters: { ...context.pathParameters } }),
    ...(hasBody && { body: request.body.toString(base64 ? "base64" : "utf8") }),
    isBase64Encoded: base64,
  };
  return event;
}

function headersAndCookiesOf(request: GatewayRequest, traceId: string) {
  const joined = new Map<string, string>();
  const cookies: string[] = [];
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    const name = (request.rawHeaders[i] ?? "").toLowerCase();
    const value = request.rawHeaders[i + 1] ?? "";
    if (name === "cookie") cookies.push(...splitCookies(value));
    if (headersNotForwarded.has(name)) continue;
    const previous = joined.get(name);
    joined.set(name, previous === undefined ? value : `${previous},${value}`);
  }
  const forwardedFor = joined.get("x-forwarded-for");
  joined.set("content-length", String(request.body.length));
  // A trace header the client sent is kept, as API Gateway does; otherwise the gateway starts one.
  if (!joined.has("x-amzn-trace-id")) joined.set("x-amzn-trace-id", `Root=${traceId}`);
  joined.set(
    "x-forwarded-for",
    forwardedFor ? `${forwardedFor}, ${request.sourceIp}` : request.sourceIp,
  );
  joined.set("x-forwarded-port", String(request.localPort));
  joined.set("x-forwarded-proto", "http");
  // Sorted like the captured events, so a logged event reads the same locally and deployed.
  const sorted = [...joined].sort(([a], [b]) => (a < b ? -1 : 1));
  return { headers: Object.fromEntries(sorted), cookies };
}

function splitCookies(header: string): string[] {
  return header
    .split(";")
    .map((cookie) => cookie.trim())
    .filter((cookie) => cookie !== "");
}

/**
 * Query parameters as AWS gives them: decoded (`+` is a space), repeated keys joined by commas,
 * a key without `=` mapped to "", and no field at all when the query is empty.
 */
export function queryParametersOf(rawQueryString: string): Record<string, string> | undefined {
  const params = new Map<string, string>();
  for (const pair of rawQueryString.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const key = decodeQueryPart(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? "" : decodeQueryPart(pair.slice(eq + 1));
    const previous = params.get(key);
    params.set(key, previous === undefined ? value : `${previous},${value}`);
  }
  return params.size > 0 ? Object.fromEntries(params) : undefined;
}

function decodeQueryPart(part: string): string {
  return decodeLeniently(part.replaceAll("+", " "));
}

/** Percent-decodes, keeping the text as sent where it is not valid percent-encoded UTF-8. */
export function decodeLeniently(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Splits a request target into the path the gateway routes on and the raw query. HTTP APIs
 * deliver `rawPath` percent-decoded (an encoded `/` becomes a real one, so it cannot hide inside
 * `{id}`), while `rawQueryString` stays exactly as sent.
 */
export function splitTarget(target: string): { rawPath: string; rawQueryString: string } {
  const withoutFragment = target.split("#", 1)[0] ?? "";
  const question = withoutFragment.indexOf("?");
  const path = question === -1 ? withoutFragment : withoutFragment.slice(0, question);
  const rawQueryString = question === -1 ? "" : withoutFragment.slice(question + 1);
  return { rawPath: decodeLeniently(path), rawQueryString };
}

/**
 * AWS's documented rule is "binary bodies are base64-encoded"; measured on real HTTP APIs, a
 * body stays text only for these content types (any parameters, such as charset, ignored).
 * Everything else, including no content type and form posts, arrives base64-encoded.
 */
export function isTextContentType(contentType: string | undefined): boolean {
  const mediaType = contentType?.split(";", 1)[0]?.trim().toLowerCase() ?? "";
  return (
    mediaType.startsWith("text/") ||
    ["application/json", "application/xml", "application/javascript"].includes(mediaType)
  );
}

const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `requestContext.time` as AWS writes it: `21/Apr/2020:15:08:21 +0000`. */
export function formatRequestTime(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, "0");
  const date = `${two(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}`;
  return `${date}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}
