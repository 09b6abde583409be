/**
 * The two load generators the server benchmark drives, each in a child process so that neither
 * competes with the server for this process's event loop: autocannon, once per measurement, and
 * the DocumentClient loop of sdk-load.ts, started and warmed up once, then measured on demand.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { projectRoot } from "../build.ts";
import type { Operation } from "./sdk-load.ts";

export interface RateFigure {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface LoadTarget {
  readonly url: string;
  readonly method: "GET" | "POST";
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

interface AutocannonJson {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

interface SdkLoadJson {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
}

const autocannonCli = createRequire(import.meta.url).resolve("autocannon/autocannon.js");
const sdkLoadScript = fileURLToPath(new URL("sdk-load.ts", import.meta.url));

/** Runs `node args...` and resolves with its stdout; rejects unless it exits 0. */
function runChild(args: readonly string[]): Promise<string> {
  const child = spawn(process.execPath, args, {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${args[0]} exited ${code}: ${stderr}`)),
    );
  });
}

/** Runs autocannon once against `target`; throws if any answer was not a 2xx. */
export async function runAutocannon(
  target: LoadTarget,
  args: readonly string[],
): Promise<RateFigure> {
  const headerArgs = Object.entries(target.headers).flatMap(([k, v]) => ["-H", `${k}=${v}`]);
  const bodyArgs = target.body === undefined ? [] : ["-b", target.body];
  // -I: autocannon puts a fresh id wherever the body says [<id>] (raw PutItems need their own).
  if (target.body?.includes("[<id>]")) bodyArgs.push("-I");
  const argv = [autocannonCli, "--json", "-n", "-m", target.method, ...args];
  const result = JSON.parse(
    await runChild([...argv, ...headerArgs, ...bodyArgs, target.url]),
  ) as AutocannonJson;
  const failures = result.non2xx + result.errors + result.timeouts;
  if (failures > 0) {
    throw new Error(`${target.method} ${target.url}: ${failures} failed requests`);
  }
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}

/** The DocumentClient loop (see sdk-load.ts): started and warmed up once, measured per round. */
export class SdkLoad {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #lines: AsyncIterator<string>;
  #stderr = "";

  constructor(sdkArgs: readonly string[], warmupSeconds: number) {
    this.#child = spawn(
      process.execPath,
      ["--import", "tsx", sdkLoadScript, ...sdkArgs, String(warmupSeconds)],
      { cwd: projectRoot, env: { PATH: process.env.PATH ?? "" }, stdio: ["pipe", "pipe", "pipe"] },
    );
    this.#child.stderr.on("data", (chunk: Buffer) => {
      this.#stderr += chunk;
    });
    this.#lines = createInterface({ input: this.#child.stdout })[Symbol.asyncIterator]();
  }

  /** The next line the loop prints; rejects if it ended instead. */
  async #nextLine(): Promise<string> {
    const line = await this.#lines.next();
    if (line.done) throw new Error(`the DocumentClient loop ended: ${this.#stderr}`);
    return line.value;
  }

  /** Resolves once the loop has warmed up. */
  async ready(): Promise<void> {
    const line = await this.#nextLine();
    if (line !== "ready") throw new Error(`the DocumentClient loop said ${line}`);
  }

  async measure(operation: Operation, seconds: number): Promise<RateFigure> {
    this.#child.stdin.write(`${operation} ${seconds}\n`);
    const result = JSON.parse(await this.#nextLine()) as SdkLoadJson;
    return {
      requestsPerSecond: result.requests / result.seconds,
      p50Ms: result.p50,
      p99Ms: result.p99,
    };
  }

  close(): void {
    this.#child.stdin.end();
  }
}
