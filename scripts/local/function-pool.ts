/**
 * Runs one function the way Lambda does: a pool of isolated instances (one worker thread each,
 * see function-worker.ts) that each import the bundle once and serve one invocation at a time.
 * When all are busy a new one starts (a cold start), up to a cap; past the cap, requests wait.
 * No module state is shared between functions, nor between instances of one function.
 */

import { FunctionInstance, type InvokeOutcome, type InvokeRequest } from "./function-instance.ts";
import type { FunctionWorkerData } from "./function-worker.ts";

export type { InvokeOutcome, InvokeRequest } from "./function-instance.ts";

/** Where an instance's stdout/stderr goes (handlers log one JSON line per request). */
export type FunctionOutputSink = (chunk: string, stream: "stdout" | "stderr") => void;

/** How to run a function: its bundle, its environment and how many instances it may use. */
export interface FunctionPoolOptions extends FunctionWorkerData {
  readonly env: Readonly<Record<string, string>>;
  readonly maxInstances: number;
  readonly writeOutput: FunctionOutputSink;
}

/** The instances of one function, started on demand and retired on reload or close. */
export class FunctionPool {
  readonly #options: FunctionPoolOptions;
  readonly #instances = new Set<FunctionInstance>();
  readonly #idle: FunctionInstance[] = [];
  readonly #waiting: Array<(instance: FunctionInstance | undefined) => void> = [];
  #closed = false;

  constructor(options: FunctionPoolOptions) {
    this.#options = options;
  }

  /** Starts one instance ahead of the first request, so it pays no cold start. */
  async warm(): Promise<boolean> {
    if (this.#instances.size > 0) return true;
    const instance = this.#start();
    const ready = await instance.ready;
    this.#release(instance);
    return ready;
  }

  /**
   * Runs the handler once; never rejects. `timedOut` aborts when the gateway gives up: a request
   * still waiting for an instance then answers "timeout", and one running ends its instance.
   */
  async invoke(request: InvokeRequest, timedOut: AbortSignal): Promise<InvokeOutcome> {
    const instance = await this.#acquire(timedOut);
    if (instance === undefined) return { kind: this.#closed ? "error" : "timeout" };
    try {
      return await instance.invoke(request, timedOut);
    } finally {
      this.#release(instance);
    }
  }

  /** Retires every instance (busy ones after their invocation): new requests load the bundle anew. */
  reload(): void {
    for (const instance of this.#instances) instance.retire();
    for (const instance of this.#idle.splice(0)) this.#forget(instance);
  }

  /** Ends every instance; requests still waiting for one fail. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const resolve of this.#waiting.splice(0)) resolve(undefined);
    this.#idle.length = 0;
    await Promise.all([...this.#instances].map((instance) => instance.terminate()));
    this.#instances.clear();
  }

  #acquire(timedOut: AbortSignal): Promise<FunctionInstance | undefined> {
    if (this.#closed || timedOut.aborted) return Promise.resolve(undefined);
    const idle = this.#idle.pop();
    if (idle) return Promise.resolve(idle);
    if (this.#instances.size < this.#options.maxInstances) return Promise.resolve(this.#start());
    return new Promise((resolve) => {
      const giveUp = () => {
        this.#waiting.splice(this.#waiting.indexOf(handOver), 1);
        resolve(undefined);
      };
      const handOver = (instance: FunctionInstance | undefined) => {
        timedOut.removeEventListener("abort", giveUp);
        resolve(instance);
      };
      timedOut.addEventListener("abort", giveUp, { once: true });
      this.#waiting.push(handOver);
    });
  }

  #release(instance: FunctionInstance): void {
    if (this.#closed) return;
    if (!instance.usable) {
      this.#forget(instance);
      const next = this.#waiting.shift();
      if (next) next(this.#start());
      return;
    }
    const next = this.#waiting.shift();
    if (next) next(instance);
    else this.#idle.push(instance);
  }

  #start(): FunctionInstance {
    const { env, maxInstances: _, writeOutput, ...workerData } = this.#options;
    const instance = new FunctionInstance(workerData, env, writeOutput);
    this.#instances.add(instance);
    return instance;
  }

  #forget(instance: FunctionInstance): void {
    this.#instances.delete(instance);
    void instance.terminate();
  }
}
