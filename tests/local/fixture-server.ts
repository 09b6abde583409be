/**
 * Starts the local server on the test-only functions of tests/local/fixtures/functions, in memory
 * and on a free port, with its logs captured instead of printed.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import {
  type GatewayTimer,
  type LocalRoute,
  type LocalServer,
  type LocalServerOptions,
  type RequestLogEntry,
  startLocalServer,
} from "../../scripts/local/local-server.ts";

const functionsDir = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "fixtures",
  "functions",
);

/** Routes to the fixture functions; `counter-a` and `counter-b` share one bundle. */
export const fixtureRoutes: readonly LocalRoute[] = [
  { method: "GET", path: "/echo", name: "echo" },
  { method: "POST", path: "/echo/{id}", name: "echo" },
  { method: "GET", path: "/echo/{id}", name: "echo" },
  { method: "POST", path: "/result", name: "result" },
  { method: "GET", path: "/throw", name: "throw" },
  { method: "GET", path: "/sleep", name: "sleep" },
  { method: "GET", path: "/counter-a", name: "counter-a" },
  { method: "GET", path: "/counter-b", name: "counter-b" },
  { method: "GET", path: "/crash", name: "crash" },
  { method: "GET", path: "/bad-init", name: "bad-init" },
  { method: "PUT", path: "/items/{id}", name: "items" },
  { method: "GET", path: "/items/{id}", name: "items" },
];

/** Where a fixture function's bundle is. */
export function fixtureBundlePathOf(name: string): string {
  return path.join(functionsDir, name.replace(/^counter-.$/, "counter"), "index.mjs");
}

/** A running fixture server plus what it logged. */
export interface FixtureServer extends LocalServer {
  readonly requests: RequestLogEntry[];
  readonly output: string[];
  /** Resolves once a chunk of output (from index `from` on) holds `text`. */
  outputIncludes(text: string, from?: number): Promise<void>;
}

/** Starts a fixture server; pass options to override the defaults (e.g. a data dir). */
export async function startFixtureServer(options: LocalServerOptions = {}): Promise<FixtureServer> {
  const requests: RequestLogEntry[] = [];
  const output: string[] = [];
  const changed = new Signal();
  const server = await startLocalServer({
    port: 0,
    inMemory: options.dataDir === undefined,
    routes: fixtureRoutes,
    bundlePathOf: fixtureBundlePathOf,
    onRequest: (entry) => requests.push(entry),
    onFunctionOutput: (chunk) => {
      output.push(chunk);
      changed.notify();
    },
    ...options,
  });
  const outputIncludes = (text: string, from = 0) =>
    changed.until(() => output.slice(from).some((chunk) => chunk.includes(text)));
  return Object.assign(server, { requests, output, outputIncludes });
}

/** Wakes whoever waits for a condition whenever something it depends on changed. */
class Signal {
  #waiters: Array<() => void> = [];

  notify(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }

  /** Resolves once `condition()` holds, checked now and after every notify(). */
  async until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }
}

/** A gateway clock that only runs out when the test says so. */
export interface ManualGatewayTimer {
  readonly timer: GatewayTimer;
  /** How many requests have reached their function's pool with time still running. */
  readonly running: number;
  /** Resolves once `running` reaches `count`. */
  untilRunning(count: number): Promise<void>;
  /** Ends the time of the request whose clock started `index`-th (0 first) among those running. */
  expire(index?: number): void;
  /** Ends the time of every request still running. */
  expireAll(): void;
}

/** Creates a ManualGatewayTimer: no request runs out of time until expire() says so. */
export function manualGatewayTimer(): ManualGatewayTimer {
  const running: AbortController[] = [];
  const changed = new Signal();
  const stop = (controller: AbortController) => {
    const index = running.indexOf(controller);
    if (index !== -1) running.splice(index, 1);
    changed.notify();
  };
  return {
    timer: () => {
      const controller = new AbortController();
      running.push(controller);
      changed.notify();
      return { signal: controller.signal, clear: () => stop(controller) };
    },
    get running() {
      return running.length;
    },
    untilRunning: (count) => changed.until(() => running.length >= count),
    expire(index = 0) {
      const controller = running[index];
      if (controller === undefined) throw new Error(`no request number ${index} is running`);
      stop(controller);
      controller.abort();
    },
    expireAll() {
      for (const controller of running.splice(0)) controller.abort();
      changed.notify();
    },
  };
}

/** What the `echo` fixture answers: the event and context it was given. */
export interface EchoAnswer {
  readonly event: APIGatewayProxyEventV2;
  readonly functionName: string;
  readonly remainingMs: number;
  /** Date.now() in the function just before and just after it read remainingMs. */
  readonly clockBefore: number;
  readonly clockAfter: number;
  readonly env: Record<string, string | null>;
}

/** What the `counter` fixture answers: its module state and thread. */
export interface CounterAnswer {
  readonly invocations: number;
  readonly threadId: number;
}

/** A fixture's JSON answer, typed as the caller expects it. */
export async function jsonOf<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}
