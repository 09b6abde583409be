/**
 * The HTTP API's access log line. The rest of what the gateway does (JWT authorizer, CORS,
 * throttle) is in common/gateway-settings.ts, which the local server reads too.
 */

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
