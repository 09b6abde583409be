/**
 * HTTP API's CORS configuration, as the gateway applies it: it answers preflights itself (no
 * route, no authorizer, no function), adds its CORS headers to every answer to an allowed
 * origin, and drops whatever CORS headers a function set. Pure.
 */
import type { OutgoingHttpHeaders } from "node:http";
import type { CorsSettings } from "../../common/gateway-settings.ts";

/** Whether the configured origins allow `origin`: exactly, `*`, or a `https://*` / `http://*` scheme. */
export function isAllowedOrigin(cors: CorsSettings, origin: string): boolean {
  return cors.allowOrigins.some((allowed) => {
    if (allowed === "*") return true;
    if (allowed.endsWith("://*")) return origin.startsWith(allowed.slice(0, -1));
    return allowed.toLowerCase() === origin.toLowerCase();
  });
}

/**
 * The answer to a preflight (an OPTIONS request with `Origin` and
 * `Access-Control-Request-Method`), or undefined for any other request. An allowed origin gets
 * the configured methods, headers, max age and credentials; any other gets a 204 with no CORS
 * header at all, which the browser takes as a refusal.
 */
export function preflightHeadersOf(
  cors: CorsSettings,
  method: string,
  origin: string | undefined,
  requestMethod: string | undefined,
): OutgoingHttpHeaders | undefined {
  if (method !== "OPTIONS" || origin === undefined || requestMethod === undefined) return undefined;
  if (!isAllowedOrigin(cors, origin)) return {};
  return {
    ...originHeadersOf(cors, origin),
    "access-control-allow-methods": cors.allowMethods.join(","),
    "access-control-allow-headers": cors.allowHeaders.join(","),
    "access-control-max-age": String(cors.maxAgeSeconds),
  };
}

/** The CORS headers of an actual answer: none without an allowed `Origin`. */
export function responseCorsHeadersOf(
  cors: CorsSettings,
  origin: string | undefined,
): OutgoingHttpHeaders {
  if (origin === undefined || !isAllowedOrigin(cors, origin)) return {};
  return {
    ...originHeadersOf(cors, origin),
    ...(cors.exposeHeaders.length > 0 && {
      "access-control-expose-headers": cors.exposeHeaders.join(","),
    }),
  };
}

function originHeadersOf(cors: CorsSettings, origin: string): OutgoingHttpHeaders {
  // A literal `*` answers `*`; a pattern or a listed origin answers the caller's own origin.
  const allowOrigin = cors.allowOrigins.includes("*") ? "*" : origin;
  return {
    "access-control-allow-origin": allowOrigin,
    ...(cors.allowCredentials && { "access-control-allow-credentials": "true" }),
  };
}

/** A function's headers without its CORS headers: with CORS configured, the gateway's rule. */
export function withoutCorsHeaders(headers: OutgoingHttpHeaders): OutgoingHttpHeaders {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !name.toLowerCase().startsWith("access-control-")),
  );
}
