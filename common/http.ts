/**
 * The one place that turns outcomes into HTTP: `withHttp` wraps every handler, maps thrown
 * errors to problem+json (RFC 9457), stamps the request id on every answer, and logs one line
 * per request. Handlers only build successes, with the helpers below.
 */
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from "aws-lambda";
import { BadRequestError, HttpError } from "./errors.ts";
import type { Item } from "./items-table.ts";
import { describeError, logRequest } from "./log.ts";

export type HttpResponse = APIGatewayProxyStructuredResultV2 & {
  headers?: Record<string, string>;
};
// The context is optional so tests can call a handler with an event alone; Lambda always passes it.
type Handler = (event: APIGatewayProxyEventV2, context?: Context) => Promise<HttpResponse>;

/** Wraps a handler with error mapping, the `x-request-id` header and the request's log line. */
export function withHttp(handle: Handler): Handler {
  return async (event, context) => {
    const started = performance.now();
    const requestId = event.requestContext?.requestId ?? "unknown";
    let response: HttpResponse;
    // What an operator needs to see: an unexpected error, or the cause of a 5xx of our own.
    let logged: unknown;
    try {
      response = await handle(event, context);
    } catch (error) {
      logged = error instanceof HttpError ? error.cause : error;
      response = problemResponse(error, requestId);
    }
    response.headers = { ...response.headers, "x-request-id": requestId };
    const status = response.statusCode ?? 200;
    logRequest({
      level: status >= 500 ? "ERROR" : "INFO",
      requestId,
      method: event.requestContext?.http?.method ?? "?",
      path: event.rawPath ?? "?",
      status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      ...(logged === undefined ? {} : { error: describeError(logged) }),
    });
    return response;
  };
}

function problemResponse(error: unknown, requestId: string): HttpResponse {
  // Only our own errors are shown; anything else could carry an SDK message, a table name or a stack.
  const known = error instanceof HttpError ? error : undefined;
  const status = known?.status ?? 500;
  const body = {
    type: "about:blank",
    title: known?.title ?? "Internal Server Error",
    status,
    detail: known?.detail ?? "An unexpected error occurred.",
    requestId,
    ...(known instanceof BadRequestError && known.errors.length > 0
      ? { errors: known.errors }
      : {}),
  };
  return {
    statusCode: status,
    headers: { "content-type": "application/problem+json", ...known?.headers },
    body: JSON.stringify(body),
  };
}

/** The strong validator of an item: its version, quoted. */
export function etagOf(item: Pick<Item, "version">): string {
  return `"${item.version}"`;
}

/** An answer that carries an item, with its ETag. */
export function itemResponse(
  statusCode: number,
  item: Item,
  headers: Record<string, string> = {},
): HttpResponse {
  return jsonResponse(statusCode, item, { etag: etagOf(item), ...headers });
}

/** A JSON answer. */
export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResponse {
  return {
    statusCode,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  };
}

/** An answer with no body (204, 304). */
export function emptyResponse(
  statusCode: number,
  headers: Record<string, string> = {},
): HttpResponse {
  return { statusCode, headers };
}
