/**
 * The DynamoDB client, built once per cold start. Timeouts are short and retries bounded so a
 * dead or throttled database answers 503 within about three seconds instead of holding the
 * request until API Gateway gives up at thirty.
 *
 * Every setting that would otherwise send the SDK looking elsewhere is given here, the way
 * Lambda gives it: credentials from the environment variables Lambda sets, standard retries, no
 * endpoint discovery. That is what lets the build leave those paths out of the bundles
 * (scripts/build/sdk-swaps.ts); region and endpoint still come from the environment.
 */
import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { wasNeverSent } from "./dynamodb-errors.ts";

/** Budget of one request to DynamoDB: worst case ≈ attempts × (connect + request) + backoff. */
export const dynamoDbTimeouts = {
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 1_000,
  maxAttempts: 2,
} as const;

/**
 * The connection and request timeouts in effect: the ones above, unless DYNAMODB_TIMEOUT_MS (a
 * whole number of milliseconds) replaces both. Deployments leave it unset; tests that are not
 * about a slow database lengthen it, so a busy machine cannot turn their calls into 503s.
 */
export function dynamoDbTimeoutsOf(env: NodeJS.ProcessEnv = process.env): {
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
} {
  const ms = Number(env.DYNAMODB_TIMEOUT_MS);
  if (!Number.isSafeInteger(ms) || ms <= 0) return dynamoDbTimeouts;
  return { connectionTimeoutMs: ms, requestTimeoutMs: ms };
}

/** AWS credentials as the SDK takes them. */
export interface EnvironmentCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
  readonly accountId?: string;
}

/**
 * The credentials Lambda puts in every function's environment (the local server does the same).
 * Read at the first request, like the SDK's own environment provider, whose result it matches.
 */
export function credentialsFromEnvironment(
  env: NodeJS.ProcessEnv = process.env,
): () => Promise<EnvironmentCredentials> {
  return async () => {
    const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = env;
    if (!accessKeyId || !secretAccessKey) {
      throw new Error(
        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set: Lambda sets them for every " +
          "function, and so does `npm start`.",
      );
    }
    const { AWS_SESSION_TOKEN: sessionToken, AWS_CREDENTIAL_EXPIRATION: expiry } = env;
    return {
      accessKeyId,
      secretAccessKey,
      ...(sessionToken ? { sessionToken } : {}),
      ...(expiry ? { expiration: new Date(expiry) } : {}),
      ...(env.AWS_ACCOUNT_ID ? { accountId: env.AWS_ACCOUNT_ID } : {}),
    };
  };
}

/**
 * Which failed calls a client sends again. `transient`: any throttling, timeout or network
 * failure, for calls that are harmless to repeat. `unapplied`: only failures DynamoDB provably
 * did not apply (it throttled the call, or it was never reached), for writes that a repeat could
 * apply twice: an update whose answer was lost must not bump the version again, nor a delete
 * report 404 for the item it just deleted.
 */
export type ResendPolicy = "transient" | "unapplied";

/** A DynamoDB client with this project's timeouts; region and endpoint come from the environment. */
export function createDynamoDbClient(resend: ResendPolicy = "transient"): DynamoDBClient {
  const { connectionTimeoutMs, requestTimeoutMs } = dynamoDbTimeoutsOf();
  return new DynamoDBClient({
    credentials: credentialsFromEnvironment(),
    maxAttempts: dynamoDbTimeouts.maxAttempts,
    ...(resend === "unapplied"
      ? { retryStrategy: unappliedOnlyRetryStrategy(dynamoDbTimeouts.maxAttempts) }
      : { retryMode: "standard" }),
    endpointDiscoveryEnabled: false,
    requestHandler: {
      connectionTimeout: connectionTimeoutMs,
      requestTimeout: requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });
}

/** The same, as a DocumentClient: items in and out as plain JavaScript values. */
export function createDocumentClient(resend: ResendPolicy = "transient"): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(createDynamoDbClient(resend));
}

type RetryStrategy = Extract<
  NonNullable<DynamoDBClientConfig["retryStrategy"]>,
  { acquireInitialRetryToken: unknown }
>;
type RetryToken = Awaited<ReturnType<RetryStrategy["acquireInitialRetryToken"]>>;

function retryToken(count: number, delayMs: number): RetryToken {
  return { getRetryCount: () => count, getRetryDelay: () => delayMs };
}

/** Retries a call only when DynamoDB throttled it or was never reached, with jittered backoff. */
function unappliedOnlyRetryStrategy(maxAttempts: number): RetryStrategy {
  return {
    acquireInitialRetryToken: async () => retryToken(0, 0),
    refreshRetryTokenForRetry: async (token, { errorType, error }) => {
      const count = token.getRetryCount() + 1;
      const unapplied = errorType === "THROTTLING" || wasNeverSent(error);
      if (count >= maxAttempts || !unapplied)
        throw new Error("not retried: the call may have been applied");
      return retryToken(count, 100 + Math.random() * 200);
    },
    recordSuccess: () => {},
  };
}
