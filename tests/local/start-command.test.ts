/**
 * `npm start` itself (scripts/local/start.ts) on the real bundles: what it prints, how it stops,
 * and the message for a port that is taken.
 */
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import test from "ava";
import { routes } from "../../common/routes.ts";
import { buildAll, bundlePathOf } from "../../scripts/build/build.ts";
import { startServerProcess, temporaryDirectory } from "./server-process.ts";

const startScript = fileURLToPath(new URL("../../scripts/local/start.ts", import.meta.url));

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
