/**
 * The gateway itself: a Node request listener that does what an HTTP API does for each request.
 * Throttle it (429), answer a CORS preflight, route it (404), authorize it (401, 403), read the
 * body (10 MB at most), build the event, invoke the function, map the result back with the CORS
 * headers, and answer by itself when the function fails (500) or is too slow (503). One log
 * entry per request.
 */
import { randomFillSync } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { CorsSettings } from "../../common/gateway-settings.ts";
import { eventOf, splitTarget } from "./api-gateway-event.ts";
import {
  type GatewayResponse,
  gatewayErrorResponse,
  lambdaPayloadLimitBytes,
  responseOfResult,
} from "./api-gateway-result.ts";
import { preflightHeadersOf, responseCorsHeadersOf, withoutCorsHeaders } from "./cors.ts";
import type { InvokeOutcome, InvokeRequest } from "./function-pool.ts";
import type { Authorization } from "./jwt-authorizer.ts";
import type { LocalRoute, RouteMatch } from "./route-matcher.ts";

/** API Gateway's limit on a request body. */
export const requestBodyLimitBytes = 10 * 1024 * 1024;

/** What the server logs about every request. */
export interface RequestLogEntry {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly ms: number;
  /** The function that ran, if the request got that far. */
  readonly functionName?: string;
  readonly requestId: string;
}

/**
 * Starts the time a request's function has (`ms`): the signal aborts when it is up, `clear()`
 * stops the clock once the function answered. Tests pass their own to end a request's time
 * exactly when they choose.
 */
export type GatewayTimer = (ms: number) => { readonly signal: AbortSignal; clear(): void };

/** The real clock. */
export const gatewayTimer: GatewayTimer = (ms) => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
};

/** What the gateway needs from the rest of the server. */
export interface GatewayOptions {
  readonly matchRoute: (method: string, path: string) => RouteMatch<LocalRoute> | undefined;
  readonly invoke: (
    functionName: string,
    request: InvokeRequest,
    timedOut: AbortSignal,
  ) => Promise<InvokeOutcome>;
  readonly timer: GatewayTimer;
  readonly gatewayTimeoutMs: number;
  readonly apiId: string;
  readonly accountId: string;
  readonly logRequest: (entry: RequestLogEntry) => void;
  /** The stage throttle: false when the request is over it. None: no throttle. */
  readonly admit?: () => boolean;
  /** The CORS configuration. None: no CORS (an OPTIONS request is routed like any other). */
  readonly cors?: CorsSettings;
  /** The JWT authorizer of every route. None: routes are open. */
  readonly authorize?: (
    authorization: string | undefined,
    routeKey: string,
  ) => Promise<Authorization>;
}

// Two ids per request: drawn from a pool of random bytes refilled 4 KiB at a time, not a call
// into the system's random source each (about a twentieth of the main thread's work under load).
const randomPool = Buffer.alloc(4096);
let randomPoolOffset = randomPool.length;

function randomBytes(size: number): Buffer {
  if (randomPoolOffset + size > randomPool.length) {
    randomFillSync(randomPool);
    randomPoolOffset = 0;
  }
  randomPoolOffset += size;
  return randomPool.subarray(randomPoolOffset - size, randomPoolOffset);
}

/** Builds the listener for `http.createServer`. */
export function createGatewayListener(options: GatewayOptions) {
  return async function serveRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const exchange = exchangeOf(options, req, res);
    try {
      await route(options, exchange);
    } catch (error) {
      // A bug here must not take the server down; the client gets what AWS sends on its own faults.
      console.error(`local gateway: ${exchange.requestId}:`, error);
      exchange.answer(gatewayErrorResponse(500));
    }
  };
}

/** One request as every stage of the gateway sees it, and how it is answered. */
interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly started: number;
  readonly timeEpoch: number;
  readonly requestId: string;
  readonly method: string;
  readonly rawPath: string;
  readonly rawQueryString: string;
  readonly match: RouteMatch<LocalRoute> | undefined;
  readonly origin: string | undefined;
  /** The function that ran, once one is invoked: for the log entry. */
  functionName?: string;
  /** Sends the response (with the CORS headers) and logs the request. */
  readonly answer: (response: GatewayResponse) => void;
}

function exchangeOf(options: GatewayOptions, req: IncomingMessage, res: ServerResponse): Exchange {
  const started = performance.now();
  const timeEpoch = Date.now();
  // API Gateway's request ids look like `LV7fzho-PHcEJPw=`: 11 random bytes, base64url, padded.
  const requestId = `${randomBytes(11).toString("base64url")}=`;
  const method = req.method ?? "GET";
  const { rawPath, rawQueryString } = splitTarget(req.url ?? "/");
  const match = options.matchRoute(method, rawPath);
  const origin = req.headers.origin;
  const answer = (response: GatewayResponse) => {
    send(res, withCors(options.cors, origin, response), requestId);
    const ms = Math.round(performance.now() - started);
    options.logRequest({
      method,
      path: rawPath,
      status: response.statusCode,
      ms,
      functionName: exchange.functionName,
      requestId,
    });
  };
  const exchange: Exchange = {
    req,
    res,
    started,
    timeEpoch,
    requestId,
    method,
    rawPath,
    rawQueryString,
    match,
    origin,
    answer,
  };
  return exchange;
}

// With CORS configured, the gateway's CORS headers replace the function's on every answer.
function withCors(
  cors: CorsSettings | undefined,
  origin: string | undefined,
  response: GatewayResponse,
): GatewayResponse {
  if (cors === undefined) return response;
  const headers = {
    ...withoutCorsHeaders(response.headers),
    ...responseCorsHeadersOf(cors, origin),
  };
  return { ...response, headers };
}

/** The stages in AWS's order: throttle, CORS preflight, route, authorizer, body; then the function. */
async function route(options: GatewayOptions, exchange: Exchange): Promise<void> {
  const { req, match, answer } = exchange;
  if (options.admit?.() === false) return answer(gatewayErrorResponse(429));
  if (answerPreflight(options, exchange)) return;
  if (match === undefined) return answer(gatewayErrorResponse(404));
  const { routeKey } = match;
  const authorization = await options.authorize?.(req.headers.authorization, routeKey);
  if (authorization?.kind === "unauthorized") {
    return answer(unauthorizedResponse(authorization.description));
  }
  if (authorization?.kind === "forbidden") return answer(gatewayErrorResponse(403));
  const body = await readBody(req).catch(() => null);
  if (body === null) return; // the client hung up: nobody to answer
  if (body === undefined) return answer(gatewayErrorResponse(413));
  await invokeRoute(options, exchange, match, authorization, body);
}

/** Answers a CORS preflight itself (204, no function in the log); false if it is not one. */
function answerPreflight(options: GatewayOptions, exchange: Exchange): boolean {
  const { req, res, started, requestId, method, rawPath, origin } = exchange;
  if (options.cors === undefined) return false;
  const requestMethod = req.headers["access-control-request-method"];
  const preflight = preflightHeadersOf(options.cors, method, origin, requestMethod);
  if (preflight === undefined) return false;
  send(res, { statusCode: 204, headers: preflight, body: Buffer.alloc(0) }, requestId);
  const ms = Math.round(performance.now() - started);
  options.logRequest({ method, path: rawPath, status: 204, ms, requestId });
  return true;
}

/** Builds the event, invokes the route's function and answers with what it returns. */
async function invokeRoute(
  options: GatewayOptions,
  exchange: Exchange,
  match: RouteMatch<LocalRoute>,
  authorization: Authorization | undefined,
  body: Buffer,
): Promise<void> {
  const { req, timeEpoch, requestId, method, rawPath, rawQueryString, answer } = exchange;
  const { routeKey, pathParameters } = match;
  const traceId = `1-${Math.floor(timeEpoch / 1000).toString(16)}-${randomBytes(12).toString("hex")}`;
  const socket = req.socket;
  const request = {
    method,
    rawPath,
    rawQueryString,
    httpVersion: req.httpVersion,
    rawHeaders: req.rawHeaders,
    body,
    sourceIp: (socket.remoteAddress ?? "127.0.0.1").replace(/^::ffff:/, ""),
    localPort: socket.localPort ?? 0,
  };
  const { apiId, accountId } = options;
  const context = { requestId, timeEpoch, traceId, apiId, accountId, routeKey, pathParameters };
  const event = eventOf(request, context);
  const requestContext = event.requestContext as typeof event.requestContext & {
    authorizer?: unknown;
  };
  if (authorization?.kind === "allowed") requestContext.authorizer = { jwt: authorization.jwt };
  const eventJson = JSON.stringify(event);
  // Lambda takes at most 6 MB per invocation; a body near 10 MB passes the gateway but not it.
  if (Buffer.byteLength(eventJson) > lambdaPayloadLimitBytes) {
    return answer(gatewayErrorResponse(413));
  }
  const deadline = timeEpoch + options.gatewayTimeoutMs;
  exchange.functionName = match.route.name;
  // The time spent reading the body and waiting for a free instance counts too.
  const time = options.timer(Math.max(0, deadline - Date.now()));
  const invocation = { eventJson, deadline, traceId };
  const outcome = await options.invoke(match.route.name, invocation, time.signal);
  time.clear();
  if (outcome.kind === "result") return answer(responseOfResult(outcome.resultJson));
  answer(gatewayErrorResponse(outcome.kind === "timeout" ? 503 : 500));
}

/** The authorizer's 401, with the reason where AWS gives it: in `www-authenticate`. */
function unauthorizedResponse(description: string): GatewayResponse {
  const response = gatewayErrorResponse(401);
  const reason = description.replace(/["\\\r\n]/g, "");
  const challenge = `Bearer scope="" error="invalid_token" error_description="${reason}"`;
  return { ...response, headers: { ...response.headers, "www-authenticate": challenge } };
}

/**
 * The body, or undefined when it is over the limit. An oversized body is drained, not kept, so
 * the 413 can still be written (the connection closes after it). Rejects if the client hangs up.
 */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let overLimit = Number(req.headers["content-length"] ?? 0) > requestBodyLimitBytes;
    if (overLimit) resolve(undefined);
    req.on("data", (chunk: Buffer) => {
      if (overLimit) return;
      size += chunk.length;
      overLimit = size > requestBodyLimitBytes;
      if (!overLimit) return void chunks.push(chunk);
      chunks.length = 0;
      resolve(undefined);
    });
    req.on("end", () => resolve(overLimit ? undefined : Buffer.concat(chunks, size)));
    req.on("close", () => req.complete || reject(new Error("client closed the request")));
    req.on("error", reject);
  });
}

// Framing is the gateway's business, never the function's.
const headersNotReturned = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
]);

function send(res: ServerResponse, response: GatewayResponse, requestId: string): void {
  if (res.headersSent || res.destroyed) return;
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined && !headersNotReturned.has(name.toLowerCase()))
      res.setHeader(name, value);
  }
  res.setHeader("apigw-requestid", requestId);
  const bodyless = response.statusCode === 204 || response.statusCode === 304;
  if (!bodyless) res.setHeader("content-length", response.body.length);
  if (response.statusCode === 413) res.setHeader("connection", "close");
  res.writeHead(response.statusCode);
  res.end(bodyless ? undefined : response.body);
}
