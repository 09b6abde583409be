/**
 * The programmatic face of the local runtime: `startLocalServer()` opens the store, starts the
 * functions of the route table from their `dist` bundles and serves them through the gateway
 * adapter. `npm start`, the tests and the benchmarks all start the API through it.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { availableParallelism } from "node:os";
import path from "node:path";
import type { GatewaySettings } from "../../common/gateway-settings.ts";
import { routeOnlyEnvironmentOf, routes as routeTable } from "../../common/routes.ts";
import { bundlePathOf, projectRoot } from "../build/build.ts";
import { serveDocsPage } from "./docs-pages.ts";
import { type FunctionOutputSink, FunctionPool } from "./function-pool.ts";
import {
  createGatewayListener,
  type GatewayTimer,
  gatewayTimer,
  type RequestLogEntry,
} from "./http-gateway.ts";
import { createJwtAuthorizer } from "./jwt-authorizer.ts";
import { type LocalStore, openStore } from "./local-store.ts";
import { createRouteMatcher, type LocalRoute } from "./route-matcher.ts";
import { StageThrottle } from "./stage-throttle.ts";

/** Instances per function unless told otherwise: one per core, at least 2. */
export const defaultInstancesPerFunction = Math.max(2, availableParallelism());

export type { GatewayTimer, RequestLogEntry } from "./http-gateway.ts";
export type { LocalRoute } from "./route-matcher.ts";

/**
 * What the gateway enforces in front of the functions; each part absent is off. `npm start`
 * passes what the stack deploys (common/gateway-settings.ts).
 */
export type LocalGatewaySettings = Partial<GatewaySettings>;

/** Options of `startLocalServer`; every one has a default that suits `npm start`. */
export interface LocalServerOptions {
  /** Default 3000; 0 picks a free port (see `LocalServer.port`). */
  readonly port?: number;
  /** Default 127.0.0.1: the API is not exposed to the network. */
  readonly host?: string;
  /** Default "items". */
  readonly tableName?: string;
  /** The table of Idempotency-Key records. Default `<tableName>-idempotency`. */
  readonly idempotencyTableName?: string;
  /** Where the embedded dynalite keeps its LevelDB files. Default `<project>/.data/dynalite`. */
  readonly dataDir?: string;
  /** Embedded dynalite without files: nothing survives `close()`. */
  readonly inMemory?: boolean;
  /** Use this DynamoDB endpoint (DynamoDB Local, an external dynalite) instead of the embedded one. */
  readonly endpoint?: string;
  /** Use real DynamoDB with the credentials and region of the environment (table must exist). */
  readonly aws?: boolean;
  /** How long the gateway waits for a function before answering 503. Default 30 000 (AWS's). */
  readonly gatewayTimeoutMs?: number;
  /** The clock of that wait. Default: real time; tests pass one they end by hand. */
  readonly gatewayTimer?: GatewayTimer;
  /** How long `close()` lets requests in flight finish before cutting them. Default 5 000. */
  readonly stopGraceMs?: number;
  /**
   * Concurrent instances per function before requests queue. Default: the machine's cores (at
   * least 2): the functions and the database share them, so more threads only add switching.
   */
  readonly maxInstancesPerFunction?: number;
  /** The routes to serve. Default: the shared route table. */
  readonly routes?: readonly LocalRoute[];
  /** Where a function's bundle is. Default: `dist/<name>/index.mjs`. */
  readonly bundlePathOf?: (functionName: string) => string;
  /** Settles when the bundles are built: the store opens meanwhile, functions load after it. */
  readonly bundlesReady?: Promise<unknown>;
  /** Extra environment for every function. */
  readonly env?: Readonly<Record<string, string>>;
  /** Called once per request. Default: one line on stdout. */
  readonly onRequest?: (entry: RequestLogEntry) => void;
  /** Receives what functions write. Default: the server's own stdout and stderr. */
  readonly onFunctionOutput?: FunctionOutputSink;
  /** JWT authorizer, CORS and stage throttle. Default: none of them. */
  readonly gateway?: LocalGatewaySettings;
  /** The gateway's clock (throttle, token times, key cache), in ms. Default `Date.now`. */
  readonly now?: () => number;
}

/** A running local API. */
export interface LocalServer {
  /** Base URL, e.g. `http://127.0.0.1:3000` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  readonly tableName: string;
  readonly idempotencyTableName: string;
  /** The DynamoDB endpoint the functions use (undefined on AWS). */
  readonly dynamoDbEndpoint: string | undefined;
  /** One line saying which store is in use. */
  readonly storeDescription: string;
  /** Where the page-token key is kept: a file, `PAGE_TOKEN_KEY`, or `this run only`. */
  readonly pageTokenKeyKept: string;
  readonly routes: readonly LocalRoute[];
  /** What the gateway enforces. */
  readonly gateway: LocalGatewaySettings;
  /** Makes the next requests load a function's bundle anew (all functions without a name). */
  reload(functionName?: string): void;
  /** Stops serving (requests in flight finish), ends the functions, closes the store; idempotent. */
  close(): Promise<void>;
}

const defaultDataDir = path.join(projectRoot, ".data", "dynalite");
const accountId = "123456789012";
// Reported to functions (context, environment), not enforced.
const memoryLimitMb = 1024;

/** Starts the API locally, as API Gateway, Lambda and DynamoDB would serve it. */
export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  const tableName = options.tableName ?? "items";
  const idempotencyTableName = options.idempotencyTableName ?? `${tableName}-idempotency`;
  const routes = options.routes ?? routeTable;
  const store = await openStoreWhenBuilt(options, tableName, idempotencyTableName);
  const pools = createPools(options, routes, store, tableName, idempotencyTableName);
  await Promise.all([...pools.values()].map((pool) => pool.warm()));

  const logRequest = options.onRequest ?? ((entry) => console.log(formatRequestLine(entry)));
  const settings = options.gateway ?? {};
  const gateway = createGateway(options, routes, pools, settings, logRequest);
  const server = createServer({ keepAliveTimeout: 60_000 }, async (req, res) => {
    // The docs pages are the local server's own (not deployed); everything else is the API's.
    const started = performance.now();
    const status = await serveDocsPage(req, res, settings).catch(() => undefined);
    if (status === undefined) return gateway(req, res);
    const [pagePath = "/"] = (req.url ?? "/").split("?");
    const ms = Math.round(performance.now() - started);
    logRequest({ method: req.method ?? "GET", path: pagePath, status, ms, requestId: "-" });
  });
  try {
    await listen(server, options);
  } catch (error) {
    await Promise.all([...pools.values()].map((pool) => pool.close()));
    await store.close();
    throw error;
  }
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  let closing: Promise<void> | undefined;
  const close = async () => {
    await closeGracefully(server, options.stopGraceMs ?? 5_000);
    await Promise.all([...pools.values()].map((pool) => pool.close()));
    await store.close();
  };

  return {
    url: `http://${host}:${port}`,
    port,
    tableName,
    idempotencyTableName,
    dynamoDbEndpoint: store.endpoint,
    storeDescription: store.description,
    pageTokenKeyKept: store.pageTokenKey.kept,
    routes,
    gateway: settings,
    reload: (name) => {
      for (const [poolName, pool] of pools)
        if (name === undefined || name === poolName) pool.reload();
    },
    close: () => {
      closing ??= close();
      return closing;
    },
  };
}

/** Opens the store while the bundles build; closes it again if the build fails. */
async function openStoreWhenBuilt(
  options: LocalServerOptions,
  tableName: string,
  idempotencyTableName: string,
): Promise<LocalStore> {
  const [opened, built] = await Promise.allSettled([
    openStore({
      ...options,
      tableName,
      idempotencyTableName,
      dataDir: options.dataDir ?? defaultDataDir,
    }),
    options.bundlesReady,
  ]);
  if (opened.status === "rejected") throw opened.reason;
  const store = opened.value;
  if (built.status === "rejected") {
    await store.close();
    throw built.reason;
  }
  return store;
}

/** One pool of instances per route's function, with the environment Lambda would give it. */
function createPools(
  options: LocalServerOptions,
  routes: readonly LocalRoute[],
  store: LocalStore,
  tableName: string,
  idempotencyTableName: string,
): Map<string, FunctionPool> {
  const region = store.functionEnv.AWS_REGION ?? process.env.AWS_REGION ?? "us-east-1";
  const env = {
    ...functionEnvOf(),
    ...store.functionEnv,
    TABLE_NAME: tableName,
    ...options.env,
  };
  const writeOutput = options.onFunctionOutput ?? ((chunk, stream) => process[stream].write(chunk));
  return new Map(
    routes.map((route) => {
      const { name } = route;
      const bundlePath = (options.bundlePathOf ?? bundlePathOf)(name);
      const functionEnv = {
        ...env,
        // As deployed: the same function-specific names and keys.
        ...routeOnlyEnvironmentOf(route, {
          idempotencyTableName,
          pageTokenKey: store.pageTokenKey.value,
        }),
        AWS_LAMBDA_FUNCTION_NAME: name,
      };
      const pool = new FunctionPool({
        functionName: name,
        bundlePath,
        memoryLimitMb,
        region,
        accountId,
        env: functionEnv,
        maxInstances: options.maxInstancesPerFunction ?? defaultInstancesPerFunction,
        writeOutput,
      });
      return [name, pool] as const;
    }),
  );
}

/** The gateway in front of the pools, enforcing the throttle, CORS and authorizer configured. */
function createGateway(
  options: LocalServerOptions,
  routes: readonly LocalRoute[],
  pools: ReadonlyMap<string, FunctionPool>,
  settings: LocalGatewaySettings,
  logRequest: (entry: RequestLogEntry) => void,
) {
  const now = options.now ?? Date.now;
  const throttle = settings.throttle && new StageThrottle(settings.throttle, now);
  return createGatewayListener({
    matchRoute: createRouteMatcher(routes),
    invoke: (name, request, timedOut) =>
      pools.get(name)?.invoke(request, timedOut) ?? Promise.resolve({ kind: "error" }),
    gatewayTimeoutMs: options.gatewayTimeoutMs ?? 30_000,
    timer: options.gatewayTimer ?? gatewayTimer,
    apiId: "local",
    accountId,
    logRequest,
    ...(throttle && { admit: () => throttle.tryTake() }),
    ...(settings.cors && { cors: settings.cors }),
    ...(settings.jwt && { authorize: createJwtAuthorizer({ settings: settings.jwt, now }) }),
  });
}

function listen(server: Server, options: LocalServerOptions): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 3000, options.host ?? "127.0.0.1", resolve);
  });
}

/**
 * `GET /abc 200 3 ms get-item LV7fzho-PHcEJPw=`: method, path, status, time, function, request id.
 * What came from the request is escaped (`escapeForLog`): one request, one line.
 */
export function formatRequestLine(entry: RequestLogEntry): string {
  const { method, path: requestPath, status, ms, functionName = "-", requestId } = entry;
  const [m, p] = [escapeForLog(method), escapeForLog(requestPath)];
  return `${m} ${p} ${status} ${ms} ms ${escapeForLog(functionName)} ${escapeForLog(requestId)}`;
}

// Controls (C0, DEL, C1), format characters (bidi overrides, zero-width), line and paragraph
// separators, lone surrogates, and the backslash that starts an escape.
const unsafeInLog = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\\]/gu;
const shortEscapes: Readonly<Record<string, string>> = {
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\\": "\\\\",
};

/**
 * Text from a request made safe for a human-readable log line: no line break, terminal escape,
 * NUL or invisible character gets through. `\n`, `\r`, `\t` and `\\` are written so, other
 * characters as `\xHH` (up to U+00FF) or `\u{HHHH}`; every other character is left as is, so
 * an escaped line reads back unambiguously.
 */
export function escapeForLog(text: string): string {
  return text.replace(unsafeInLog, (character) => {
    const short = shortEscapes[character];
    if (short !== undefined) return short;
    const code = character.codePointAt(0) ?? 0;
    const hex = code.toString(16).padStart(2, "0");
    return code <= 0xff ? `\\x${hex}` : `\\u{${hex}}`;
  });
}

// What Lambda sets in every function's environment; the store adds region and credentials.
// Nothing leaks in from this shell: what works here must work deployed.
function functionEnvOf(): Record<string, string> {
  return {
    AWS_EXECUTION_ENV: "AWS_Lambda_nodejs24.x",
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryLimitMb),
  };
}

async function closeGracefully(
  server: ReturnType<typeof createServer>,
  graceMs: number,
): Promise<void> {
  const closed = new Promise((resolve) => server.close(resolve));
  // Keep-alive connections close as soon as their request in flight is answered; after a grace
  // period, the rest are cut.
  const sweeper = setInterval(() => server.closeIdleConnections(), 20);
  const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
  server.closeIdleConnections();
  await closed;
  clearInterval(sweeper);
  clearTimeout(deadline);
}
