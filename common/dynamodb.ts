/**
 * The DynamoDB client, built once per cold start. Timeouts are short and retries bounded so a
 * dead or throttled database answers 503 within about three seconds instead of holding the
 * request until API Gateway gives up at thirty.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/** Budget of one request to DynamoDB: worst case ≈ attempts × (connect + request) + backoff. */
export const dynamoDbTimeouts = {
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 1_000,
  maxAttempts: 2,
} as const;

/** A DocumentClient with this project's timeouts; region and endpoint come from the environment. */
export function createDocumentClient(): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    maxAttempts: dynamoDbTimeouts.maxAttempts,
    requestHandler: {
      connectionTimeout: dynamoDbTimeouts.connectionTimeoutMs,
      requestTimeout: dynamoDbTimeouts.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });
  return DynamoDBDocumentClient.from(client);
}
