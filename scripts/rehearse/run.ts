/** Running the tools the rehearsal drives (terraform, go, python), with their output shown. */
import { spawn, spawnSync } from "node:child_process";

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Collect stdout instead of showing it. */
  readonly capture?: boolean;
  /** Exit codes that count as success (default: 0 only). */
  readonly okCodes?: readonly number[];
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
}

/** Runs a command to completion; throws, naming it, when it exits with another code. */
export function run(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const { cwd, env = process.env, capture = false, okCodes = [0] } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env,
      stdio: ["ignore", capture ? "pipe" : "inherit", "inherit"],
    });
    const chunks: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const exit = code ?? 128;
      const stdout = Buffer.concat(chunks).toString("utf8");
      if (okCodes.includes(exit)) resolve({ code: exit, stdout });
      else {
        const how = signal ? `signal ${signal}` : `exit code ${exit}`;
        reject(new Error(`${command} ${args.join(" ")} failed (${how})`));
      }
    });
  });
}

/** True when a command can be started (for the tool check). */
export function hasCommand(command: string, versionArg = "--version"): boolean {
  const result = spawnSync(command, [versionArg], { stdio: "ignore" });
  return result.error === undefined && result.status === 0;
}
