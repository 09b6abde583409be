/**
 * `npm start`: builds the bundles, opens the store and serves the API on http://localhost:3000
 * as API Gateway would; `npm run dev` adds --watch. SIGINT (Ctrl-C) or SIGTERM, to npm or to this
 * process, stops it cleanly.
 *
 *   npm start                                   dynalite persisted in .data/dynalite
 *   npm start -- --in-memory                    nothing kept on disk
 *   PORT=8080 npm start                         another port (0: any free one)
 *   AWS_ENDPOINT_URL_DYNAMODB=http://localhost:8000 npm start    DynamoDB Local or another endpoint
 *   TABLE_NAME=items-prod npm start -- --aws    real DynamoDB, credentials from the environment
 *   npm start -- --local-auth                   a JWT issuer on loopback; `npm run token` signs
 *
 * The JWT authorizer, CORS and the stage throttle follow the deploy's ITEMS_API_* settings.
 * All flags and variables: docs/LOCAL.md.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { gatewaySettingVariables } from "../../common/gateway-settings.ts";
import { buildAll } from "../build.ts";
import { describeGateway, readLocalGatewaySettings } from "./gateway-config.ts";
import { type LocalIssuer, localAuthFile, startLocalIssuer } from "./local-issuer.ts";
import { type LocalServer, startLocalServer } from "./local-server.ts";
import { type BundleWatcher, watchBundles } from "./watch-bundles.ts";

const { values: flags } = parseArgs({
  options: {
    port: { type: "string" },
    host: { type: "string" },
    "in-memory": { type: "boolean" },
    "data-dir": { type: "string" },
    endpoint: { type: "string" },
    aws: { type: "boolean" },
    watch: { type: "boolean" },
    "skip-build": { type: "boolean" },
    "gateway-timeout-ms": { type: "string" },
    "stop-grace-ms": { type: "string" },
    "local-auth": { type: "boolean" },
  },
});
const env = process.env;
const numberOf = (text: string | undefined) =>
  text === undefined || text === "" ? undefined : Number(text);

const stopGraceMs = numberOf(flags["stop-grace-ms"] ?? env.STOP_GRACE_MS) ?? 5_000;
if (!Number.isInteger(stopGraceMs) || stopGraceMs < 0) {
  console.error("items-api local: --stop-grace-ms (STOP_GRACE_MS) must be a whole number of ms");
  process.exit(1);
}
const started = performance.now();
let watcher: BundleWatcher | undefined;
let issuer: LocalIssuer | undefined;
let server: LocalServer;
try {
  const gateway = readLocalGatewaySettings(await withLocalAuth(env));
  server = await startLocalServer({
    gateway,
    bundlesReady: prepareBundles(),
    port: numberOf(flags.port ?? env.PORT) ?? 3000,
    host: flags.host ?? env.HOST,
    tableName: env.TABLE_NAME || undefined,
    idempotencyTableName: env.IDEMPOTENCY_TABLE_NAME || undefined,
    dataDir: flags["data-dir"] ?? (env.LOCAL_DATA_DIR || undefined),
    inMemory: flags["in-memory"],
    endpoint: flags.endpoint ?? (env.AWS_ENDPOINT_URL_DYNAMODB || undefined),
    aws: flags.aws,
    gatewayTimeoutMs: numberOf(flags["gateway-timeout-ms"] ?? env.GATEWAY_TIMEOUT_MS),
    stopGraceMs,
  });
} catch (error) {
  console.error(`items-api local: could not start: ${explain(error)}`);
  await watcher?.close();
  await issuer?.close();
  process.exit(1);
}
printBanner(server, Math.round(performance.now() - started));

// `npm start` execs node (package.json), so npm's only child is this process: npm forwards
// SIGINT and SIGTERM to it and exits once it has. A Ctrl-C in a terminal therefore arrives twice
// (from the terminal and from npm): further signals change nothing while stopping, and the
// stop is bounded instead: requests in flight get the grace period, closing the rest 10 s more.
const stopBoundMs = stopGraceMs + 10_000;
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return void console.log(`${signal}: already stopping`);
    stopping = true;
    console.log(`${signal}: finishing requests in flight, then closing the store`);
    const bound = setTimeout(() => {
      console.error(`not stopped ${stopBoundMs / 1000} s after ${signal}: exiting anyway`);
      process.exit(1);
    }, stopBoundMs);
    void Promise.all([server.close(), watcher?.close(), issuer?.close()]).then(() => {
      clearTimeout(bound);
      console.log("stopped");
      process.exit(0);
    });
  });
}

// --local-auth: an issuer on loopback becomes the JWT issuer; the audience stays configurable.
async function withLocalAuth(settingsEnv: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  if (!flags["local-auth"]) return settingsEnv;
  const { jwtIssuer, jwtAudience } = gatewaySettingVariables;
  if (settingsEnv[jwtIssuer]) throw new Error(`--local-auth is the issuer: unset ${jwtIssuer}`);
  issuer = await startLocalIssuer();
  const audience = settingsEnv[jwtAudience] || "items-api";
  await issuer.writeSigningFile(localAuthFile, audience.split(",")[0]?.trim() ?? audience);
  return { ...settingsEnv, [jwtIssuer]: issuer.issuer, [jwtAudience]: audience };
}

// Built (or watched) while the store opens: the two together are most of the time to ready.
function prepareBundles(): Promise<unknown> | undefined {
  if (flags.watch) {
    return watchBundles(reloadAfterRebuild).then((running) => {
      watcher = running;
    });
  }
  return flags["skip-build"] ? undefined : buildAll();
}

function reloadAfterRebuild(name: string): void {
  // The first build happens before the server exists; later ones reach it.
  if (server === undefined) return;
  server.reload(name);
  console.log(`rebuilt ${name}: the next request loads the new bundle`);
}

function printBanner(running: LocalServer, readyMs: number): void {
  const local = /^http:\/\/(127\.0\.0\.1|\[::1\])/;
  const url = running.url.replace(local, "http://localhost");
  const width = Math.max(...running.routes.map((r) => r.path.length));
  const routeLines = running.routes.map(
    (r, i) =>
      `${i === 0 ? "  routes " : "         "}${r.method.padEnd(7)}${r.path.padEnd(width + 2)}${r.name}`,
  );
  console.log(
    [
      "items-api local: API Gateway HTTP API (payload 2.0) -> Lambda -> DynamoDB",
      `  store  ${running.storeDescription}, tables "${running.tableName}" and "${running.idempotencyTableName}"`,
      `  key    page tokens signed with the key ${keptWhere(running.pageTokenKeyKept)}`,
      ...routeLines,
      ...describeGateway(running.gateway),
      ...(issuer
        ? [
            `  auth   --local-auth: issuer ${issuer.issuer}; a token: npm run -s token -- --sub alice --scope items:write`,
          ]
        : []),
      `  docs   ${url}/docs (try it out), ${url}/openapi.json (OpenAPI 3.1)`,
      `  ${flags.watch ? "watching sources: changes rebuild and reload" : "npm run dev rebuilds on changes"}`,
      `ready in ${readyMs} ms (pid ${process.pid}): ${url}`,
    ].join("\n"),
  );
}

function keptWhere(kept: string): string {
  if (kept === "PAGE_TOKEN_KEY") return "from PAGE_TOKEN_KEY";
  if (kept === "this run only") return "of this run only";
  return `kept in ${path.relative(process.cwd(), kept) || kept}`;
}

function explain(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === "EADDRINUSE") return "the port is in use: stop the other server, or set PORT";
  return error instanceof Error ? error.message : String(error);
}
