/** Captures the JSON log lines handlers write to stdout, to find a request's own lines. */

export interface LogCapture {
  /** Parsed log lines that carry this request id. */
  linesOf(requestId: string): Record<string, unknown>[];
  /** Stops capturing (stdout is written through as before). */
  restore(): void;
}

/** Starts recording every JSON line written to stdout; output still reaches the terminal. */
export function captureLogs(): LogCapture {
  const lines: Record<string, unknown>[] = [];
  const original = process.stdout.write;
  process.stdout.write = function (this: typeof process.stdout, chunk: unknown, ...rest: never[]) {
    for (const line of String(chunk).split("\n")) {
      if (!line.startsWith("{")) continue;
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // Not one of ours.
      }
    }
    return original.call(this, chunk as string, ...rest);
  } as typeof process.stdout.write;
  return {
    linesOf: (requestId) => lines.filter((line) => line.requestId === requestId),
    restore: () => {
      process.stdout.write = original;
    },
  };
}
