/**
 * The environment Lambda gives a function, reduced to what our bundles read: credentials and
 * region always come from these variables on Lambda (see docs/PERFORMANCE.md). Children start
 * from this alone, never from the caller's environment, so a developer's NODE_OPTIONS or
 * NODE_EXTRA_CA_CERTS (which alone costs tens of milliseconds per start) cannot skew a figure.
 */
export const benchTableName = "items-bench";
export const benchIdempotencyTableName = "items-bench-idempotency";

/** Lambda-like variables for a function named `functionName`. */
export function lambdaEnvironment(functionName = "items-api-bench"): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    TZ: ":UTC",
    AWS_EXECUTION_ENV: "AWS_Lambda_nodejs24.x",
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "1024",
    AWS_REGION: "us-east-1",
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "AKIDBENCHMARK",
    AWS_SECRET_ACCESS_KEY: "bench-secret",
    AWS_SESSION_TOKEN: "bench-session-token",
    TABLE_NAME: benchTableName,
    IDEMPOTENCY_TABLE_NAME: benchIdempotencyTableName,
    PAGE_TOKEN_KEY: "the page-token key of the benchmarks",
  };
}
