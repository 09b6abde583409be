/**
 * `npm start` as a child process (the same entry, without the build step), on a free port and a
 * data directory of the test's choosing, so a test can kill it outright and start it again on the
 * same data.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { projectRoot } from "../../../scripts/build.ts";

export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  /** Everything it printed so far. */
  output(): string;
  /** Sends a signal and resolves once the process is gone. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Starts the local server persisted in `dataDir` and waits for its "ready" line. */
export async function startServerProcess(
  dataDir: string,
  extraArgs: readonly string[] = [],
): Promise<ServerProcess> {
  // The server picks its store from flags only: no endpoint inherited from a test environment.
  const { AWS_ENDPOINT_URL_DYNAMODB: _, DYNAMODB_ENDPOINT: __, ...env } = process.env;
  const child: ChildProcess = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "scripts/local/start.ts",
      "--skip-build",
      "--port",
      "0",
      "--data-dir",
      dataDir,
      ...extraArgs,
    ],
    { cwd: projectRoot, env: { ...env, TABLE_NAME: "items" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let printed = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in 30 s:\n${printed}`)), 30_000);
    const onData = (chunk: Buffer) => {
      printed += chunk.toString();
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
