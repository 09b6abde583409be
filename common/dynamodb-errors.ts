/**
 * Classifies DynamoDB failures. Throttling, timeouts, network failures and DynamoDB's own 5xx
 * are transient: the client should retry, so they become a 503 with Retry-After. Everything
 * else passes through unchanged, to be handled by its caller or logged as unexpected.
 */
import { ServiceUnavailableError } from "./errors.ts";

const transientNames = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "LimitExceededException",
  "InternalServerError",
  "ServiceUnavailable",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
]);

// The connection was never made: the request cannot have reached DynamoDB.
const neverSentCodes = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);
// Failures of a connection that was made, which the request may or may not have crossed.
const transientNetworkCodes = new Set([...neverSentCodes, "ECONNRESET", "EPIPE", "ETIMEDOUT"]);

interface SdkErrorShape {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

/** Whether a write failed only because its condition did not hold. */
export function isConditionalCheckFailed(error: unknown): boolean {
  return (error as SdkErrorShape | undefined)?.name === "ConditionalCheckFailedException";
}

/** Whether the request failed before it could reach DynamoDB, so nothing can have been applied. */
export function wasNeverSent(error: unknown): boolean {
  const code = (error as SdkErrorShape | undefined)?.code;
  return code !== undefined && neverSentCodes.has(code);
}

/** Whether retrying later could succeed. */
export function isTransientDynamoDbError(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { name, code, $metadata } = error as SdkErrorShape;
  const status = $metadata?.httpStatusCode ?? 0;
  return (
    (name !== undefined && transientNames.has(name)) ||
    (code !== undefined && transientNetworkCodes.has(code)) ||
    status >= 500
  );
}

/** A 503 for transient failures; any other error unchanged. */
export function translateDynamoDbError(error: unknown): unknown {
  return isTransientDynamoDbError(error) ? new ServiceUnavailableError(1, error) : error;
}
