/**
 * Structured logs: one JSON line per request on stdout, which Lambda's JSON log format and
 * CloudWatch Logs Insights read as fields. Written directly to stdout so the line is exactly
 * this object, with no runtime prefix.
 */

/** The fields of a request's log line. */
export interface RequestLog {
  readonly level: "INFO" | "WARN" | "ERROR";
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly durationMs: number;
  readonly error?: { readonly name: string; readonly message: string; readonly stack?: string };
}

/** Writes one log line; `function` is the Lambda's name when running on Lambda. */
export function logRequest(entry: RequestLog): void {
  const line = {
    timestamp: new Date().toISOString(),
    message: "request",
    function: process.env.AWS_LAMBDA_FUNCTION_NAME,
    ...entry,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** The parts of an unexpected error worth logging (never sent to the client). */
export function describeError(error: unknown): NonNullable<RequestLog["error"]> {
  // Always strings: anything can be thrown, and the log line must still serialize.
  if (error instanceof Error) {
    const stack = typeof error.stack === "string" ? error.stack : undefined;
    return { name: textOf(error.name), message: textOf(error.message), stack };
  }
  return { name: "NonError", message: textOf(error) };
}

function textOf(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value); // no prototype, or a toString that throws
  }
}
