/**
 * `npm start` itself (scripts/local/start.ts) on the real bundles: what it prints, how it stops,
 * and the message for a port that is taken.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import test from "ava";
import { routes } from "../../common/routes.ts";
import { buildAll, bundlePathOf } from "../../scripts/build.ts";
import { startServerProcess, temporaryDirectory } from "./server-process.ts";

const startScript = fileURLToPath(new URL("../../scripts/local/start.ts", import.meta.url));
const tokenScript = fileURLToPath(new URL("../../scripts/local/token.ts", import.meta.url));
const execFileAsync = promisify(execFile);

test.before(async () => {
  // `npm test` builds first; a bare `ava` run may not have.
  if (!routes.every((route) => existsSync(bundlePathOf(route.name)))) await buildAll();
});

test("prints the URL and every route, serves them, and stops cleanly on SIGTERM", async (t) => {
  const data = await temporaryDirectory();
  t.teardown(data.remove);
  const server = await startServerProcess(startScript, ["--skip-build", "--data-dir", data.dir]);
  t.teardown(() => server.stop("SIGKILL"));
  for (const route of routes) {
    t.regex(
      server.output(),
      new RegExp(`${route.method}\\s+${route.path.replace(/[{}]/g, "\\$&")}\\s+${route.name}`),
    );
  }
  t.regex(server.url, /^http:\/\/localhost:\d+$/);
  const response = await fetch(`${server.url}/`);
  t.is(response.status, 200);
  const requestId = response.headers.get("apigw-requestid") ?? "";
  t.is(await server.stop("SIGTERM"), 0);
  t.regex(
    server.output(),
    new RegExp(`GET / 200 \\d+ ms list-items ${requestId.replace(/[+=]/g, "\\$&")}`),
  );
  t.regex(server.output(), /^stopped$/m);
});

test("says so when the port is taken", async (t) => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
  t.teardown(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  const { port } = blocker.address() as AddressInfo;
  const error = await t.throwsAsync(
    startServerProcess(startScript, ["--skip-build", "--in-memory", "--port", String(port)]),
  );
  t.regex(error?.message ?? "", /exited with 1[\s\S]*the port is in use/);
});

test("enforces the deploy's gateway settings and says so; --local-auth and npm run token work together", async (t) => {
  const data = await temporaryDirectory();
  t.teardown(data.remove);
  const authFile = `${data.dir}/local-auth.json`;
  const env = {
    LOCAL_AUTH_FILE: authFile,
    ITEMS_API_JWT_ROUTE_SCOPES: "POST /=items:write",
    ITEMS_API_CORS_ALLOW_ORIGINS: "http://localhost:5173",
    ITEMS_API_THROTTLE_RATE_LIMIT: "1000",
    ITEMS_API_THROTTLE_BURST_LIMIT: "500",
  };
  const server = await startServerProcess(
    startScript,
    ["--skip-build", "--in-memory", "--local-auth"],
    env,
  );
  t.teardown(() => server.stop("SIGKILL"));
  const output = server.output();
  t.regex(
    output,
    /jwt {4}on: issuer http:\/\/127\.0\.0\.1:\d+ \(http on loopback[^)]*\), audience items-api; POST \/ needs items:write/,
  );
  t.regex(
    output,
    /cors {3}on: origins http:\/\/localhost:5173; methods GET,POST,PUT,DELETE,OPTIONS; headers authorization,content-type,idempotency-key,if-match,if-none-match; exposed etag,.*location.*x-request-id; max age 3600 s; credentials false/,
  );
  t.regex(output, /limit {2}on: 1000 requests\/s, burst 500; over it 429/);

  const token = async (...args: string[]) => {
    const { stdout } = await execFileAsync(
      process.execPath,
      ["--import", "tsx", tokenScript, ...args],
      {
        env: { ...process.env, LOCAL_AUTH_FILE: authFile },
      },
    );
    return stdout.trim();
  };
  const create = (authorization?: string) =>
    fetch(`${server.url}/`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(authorization && { authorization }) },
      body: JSON.stringify({ name: "n", description: "d" }),
    });
  const missing = await create();
  t.is(missing.status, 401);
  t.regex(missing.headers.get("www-authenticate") ?? "", /error="invalid_token"/);
  t.is((await create(`Bearer ${await token("--sub", "alice")}`)).status, 403);
  t.is(
    (await create(`Bearer ${await token("--sub", "alice", "--scope", "items:write")}`)).status,
    201,
  );
});

test("refuses an http issuer that is not on loopback", async (t) => {
  const error = await t.throwsAsync(
    startServerProcess(startScript, ["--skip-build", "--in-memory"], {
      ITEMS_API_JWT_ISSUER: "http://auth.example.com",
      ITEMS_API_JWT_AUDIENCE: "items-api",
    }),
  );
  t.regex(error?.message ?? "", /could not start: ITEMS_API_JWT_ISSUER.*loopback/);
});
