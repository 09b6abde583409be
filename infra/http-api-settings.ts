/**
 * The HTTP API's settings that are plain data: the access log line and the CORS rules, whose
 * header lists follow the headers of the API contract.
 */
import type { Apigatewayv2ApiCorsConfiguration } from "@cdktf/provider-aws/lib/apigatewayv2-api/index.js";

/**
 * One JSON object per request. `requestId` is API Gateway's, `integrationRequestId` the
 * Lambda invocation's: together they join an access log line to the function's log lines.
 */
export const accessLogFormat = JSON.stringify({
  requestId: "$context.requestId",
  integrationRequestId: "$context.integration.requestId",
  ip: "$context.identity.sourceIp",
  requestTime: "$context.requestTime",
  httpMethod: "$context.httpMethod",
  routeKey: "$context.routeKey",
  path: "$context.path",
  status: "$context.status",
  protocol: "$context.protocol",
  responseLength: "$context.responseLength",
  responseLatency: "$context.responseLatency",
  integrationStatus: "$context.integrationStatus",
  integrationLatency: "$context.integrationLatency",
  integrationError: "$context.integrationErrorMessage",
  authorizerError: "$context.authorizer.error",
});

// Request headers the contract reads, and response headers it sets, beyond the CORS-safelisted.
const allowHeaders = [
  "authorization",
  "content-type",
  "idempotency-key",
  "if-match",
  "if-none-match",
];
const exposeHeaders = [
  "etag",
  "idempotent-replayed",
  "link",
  "location",
  "retry-after",
  "x-request-id",
];

/** CORS for the given origins; the stack adds none when the list is empty. */
export function corsConfigurationOf(origins: readonly string[]): Apigatewayv2ApiCorsConfiguration {
  return {
    allowOrigins: [...origins],
    allowMethods: ["GET", "POST", "PUT", "DELETE", "OPTIONS"],
    allowHeaders,
    exposeHeaders,
    // Preflight answers are cached by browsers for an hour.
    maxAge: 3600,
  };
}
