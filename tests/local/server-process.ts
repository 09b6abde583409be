/**
 * Runs a local server as a child process, the way a user or CI does, so tests can stop it
 * cleanly, kill it outright and start it again on the same data.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

/** A server process once it said it is ready. */
export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything it printed so far. */
  readonly output: () => string;
  /** Sends a signal and waits for the exit; returns the exit code (null if killed). */
  stop(signal: NodeJS.Signals): Promise<number | null>;
}

/** Starts `node --import tsx <script> ...args` and waits for a line with its URL. */
export async function startServerProcess(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PORT: "0", ...env },
  });
  let printed = "";
  let timer: NodeJS.Timeout | undefined;
  let onExit: ((code: number | null) => void) | undefined;
  const url = await new Promise<string>((resolve, reject) => {
    // Bounds a hang only: a server that never says it is ready.
    timer = setTimeout(() => reject(new Error(`not ready in 30 s:\n${printed}`)), 30_000);
    const onData = (chunk: Buffer) => {
      printed += chunk.toString();
      const ready = /ready\b.*?(http:\/\/\S+)/.exec(printed);
      if (ready?.[1]) resolve(ready[1]);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    onExit = (code) => reject(new Error(`exited with ${code}:\n${printed}`));
    child.once("exit", onExit);
  }).finally(() => {
    clearTimeout(timer);
    if (onExit) child.off("exit", onExit);
  });
  return {
    url,
    child,
    output: () => printed,
    stop: async (signal) => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const [code] = await once(child, "exit");
      return code as number | null;
    },
  };
}

/** A fresh temporary directory, removed by the returned function. */
export async function temporaryDirectory(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), "items-api-local-"));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
