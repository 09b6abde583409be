/**
 * Starts the local server on the test-only functions of tests/local/fixtures/functions, in memory
 * and on a free port, with its logs captured instead of printed.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import {
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
}

/** Starts a fixture server; pass options to override the defaults (e.g. a data dir). */
export async function startFixtureServer(options: LocalServerOptions = {}): Promise<FixtureServer> {
  const requests: RequestLogEntry[] = [];
  const output: string[] = [];
  const server = await startLocalServer({
    port: 0,
    inMemory: options.dataDir === undefined,
    routes: fixtureRoutes,
    bundlePathOf: fixtureBundlePathOf,
    onRequest: (entry) => requests.push(entry),
    onFunctionOutput: (chunk) => output.push(chunk),
    ...options,
  });
  return Object.assign(server, { requests, output });
}

/** What the `echo` fixture answers: the event and context it was given. */
export interface EchoAnswer {
  readonly event: APIGatewayProxyEventV2;
  readonly functionName: string;
  readonly remainingMs: number;
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
