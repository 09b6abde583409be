/**
 * One instance of a function: a worker thread running function-worker.ts, which is compiled once
 * per process to plain JavaScript and started with no tsx or other loader, with its own
 * environment. It serves one invocation at a time; the pool decides which.
 */
import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { transformSync } from "esbuild";
import type {
  FunctionWorkerData,
  FunctionWorkerMessage,
  InvokeMessage,
} from "./function-worker.ts";

/** One invocation: the event as JSON, when the gateway gives up, and the trace id. */
export type InvokeRequest = InvokeMessage;

/** How an invocation ended: a result (JSON text), an error (thrown, crashed) or too late. */
export type InvokeOutcome =
  | { readonly kind: "result"; readonly resultJson: string }
  | { readonly kind: "error" }
  | { readonly kind: "timeout" };

let workerSource: string | undefined;

function compiledWorkerSource(): string {
  if (workerSource === undefined) {
    const source = readFileSync(new URL("./function-worker.ts", import.meta.url), "utf8");
    workerSource = transformSync(source, { loader: "ts", format: "cjs", target: "node24" }).code;
  }
  return workerSource;
}

/** A worker thread holding one loaded copy of a function's bundle. */
export class FunctionInstance {
  /** Resolves true once the bundle is loaded, false if it failed to load or the worker died. */
  readonly ready: Promise<boolean>;
  readonly #worker: Worker;
  #dead = false;
  #loaded = false;
  #retired = false;
  #settle: ((outcome: InvokeOutcome) => void) | undefined;

  constructor(
    data: FunctionWorkerData,
    env: Readonly<Record<string, string>>,
    writeOutput: (chunk: string, stream: "stdout" | "stderr") => void,
  ) {
    this.#worker = new Worker(compiledWorkerSource(), {
      eval: true,
      execArgv: [],
      env: { ...env },
      workerData: data,
      stdout: true,
      stderr: true,
      name: data.functionName,
    });
    this.#worker.stdout
      .setEncoding("utf8")
      .on("data", (chunk: string) => writeOutput(chunk, "stdout"));
    this.#worker.stderr
      .setEncoding("utf8")
      .on("data", (chunk: string) => writeOutput(chunk, "stderr"));
    this.ready = new Promise((resolveReady) => {
      const die = () => {
        this.#dead = true;
        this.#loaded = false;
        resolveReady(false);
        this.#settle?.({ kind: "error" });
      };
      this.#worker.on("message", (message: FunctionWorkerMessage) => {
        for (const [stream, text] of message.output) writeOutput(text, stream);
        if (message.kind === "output") return;
        if (message.kind === "ready") {
          this.#loaded = true;
          resolveReady(true);
        } else if (message.kind === "init-error") die();
        else this.#settle?.(message.kind === "result" ? message : { kind: "error" });
      });
      // An uncaught exception or a process.exit() ends Lambda's runtime too: the call fails. The
      // report waits for the exit, by which Node has delivered every message the worker sent, so
      // what the function wrote before it crashed comes first.
      let crash: Error | undefined;
      this.#worker.on("error", (error) => {
        crash = error;
        die();
      });
      this.#worker.on("exit", () => {
        if (crash) {
          writeOutput(`ERROR\tUncaught Exception\t${crash.stack ?? String(crash)}\n`, "stderr");
        }
        die();
      });
    });
  }

  /** False once the instance died, failed to load or was retired by a reload. */
  get usable(): boolean {
    return !this.#dead && !this.#retired;
  }

  /** Marks the instance for ending once its current invocation (if any) is done. */
  retire(): void {
    this.#retired = true;
  }

  /** Runs one invocation; once `timedOut` aborts it answers "timeout" and ends the instance. */
  invoke(request: InvokeRequest, timedOut: AbortSignal): Promise<InvokeOutcome> {
    if (timedOut.aborted) return Promise.resolve({ kind: "timeout" });
    return new Promise((resolve) => {
      const lateness = () => {
        this.#settle?.({ kind: "timeout" });
        void this.terminate();
      };
      timedOut.addEventListener("abort", lateness, { once: true });
      this.#settle = (outcome) => {
        timedOut.removeEventListener("abort", lateness);
        this.#settle = undefined;
        resolve(outcome);
      };
      // A loaded instance gets the request at once, before the gateway answers the previous one.
      if (this.#loaded) this.#worker.postMessage(request);
      else
        void this.ready.then((loaded) => {
          if (!loaded) this.#settle?.({ kind: "error" });
          else if (this.#settle) this.#worker.postMessage(request);
        });
    });
  }

  /** Ends the worker thread, interrupting whatever it runs. */
  async terminate(): Promise<void> {
    this.#dead = true;
    await this.#worker.terminate();
  }
}
