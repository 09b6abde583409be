/**
 * `npm start` as a child process (the same entry), on a free port and a data directory of the
 * caller's choosing: the load test drives it, and the crash test kills it outright and starts it
 * again on the same data.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { projectRoot } from "../build.ts";

export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  /** Everything it printed so far. */
  output(): string;
  /** Sends a signal and resolves once the process is gone. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

export interface ServerProcessOptions {
  /** Build the bundles first, as `npm start` does; otherwise `dist/` must be built already. */
  readonly build?: boolean;
  /** Print what the server prints (request lines included). */
  readonly echo?: boolean;
}

/**
 * The stage throttle of the server under load, set here, not inherited: the highest the
 * settings take, so the deploy's default (50 requests/s) never turns load into 429s.
 */
export const loadThrottle = { rateLimit: 10_000, burstLimit: 5_000 } as const;

/** Starts the local server persisted in `dataDir` and waits for its "ready" line. */
export async function startServerProcess(
  dataDir: string,
  options: ServerProcessOptions = {},
): Promise<ServerProcess> {
  // The server picks its store from flags only: no endpoint inherited from a test environment.
  const { AWS_ENDPOINT_URL_DYNAMODB: _, DYNAMODB_ENDPOINT: __, ...env } = process.env;
  const args = ["--port", "0", "--data-dir", dataDir, ...(options.build ? [] : ["--skip-build"])];
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/local/start.ts", ...args],
    {
      cwd: projectRoot,
      env: {
        ...env,
        TABLE_NAME: "items",
        ITEMS_API_THROTTLE_RATE_LIMIT: String(loadThrottle.rateLimit),
        ITEMS_API_THROTTLE_BURST_LIMIT: String(loadThrottle.burstLimit),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let printed = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in 60 s:\n${printed}`)), 60_000);
    const onData = (chunk: Buffer) => {
      if (options.echo) process.stdout.write(chunk);
      // Only the start-up output is kept: a server under load prints a line per request.
      if (printed.length < 100_000) printed += chunk.toString();
      const ready = /ready\b.*?(http:\/\/\S+)/.exec(printed);
      if (ready?.[1]) {
        clearTimeout(timer);
        resolve(ready[1].replace("localhost", "127.0.0.1"));
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code ?? signal}) before ready:\n${printed}`));
    });
  });
  return {
    url,
    pid: child.pid ?? 0,
    output: () => printed,
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill(signal);
      await exited;
    },
  };
}
