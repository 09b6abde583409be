/**
 * Starting up: functions load only once their bundles are built (npm start builds while the
 * store opens), and a failed build or a store that cannot open stops the start with its error.
 */
import { copyFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import test from "ava";
import { startLocalServer } from "../../scripts/local/local-server.ts";
import { fixtureBundlePathOf } from "./fixture-server.ts";
import { temporaryDirectory } from "./server-process.ts";

const quiet = { port: 0, inMemory: true, onRequest: () => {}, onFunctionOutput: () => {} };

test("loads no function before its bundle is built", async (t) => {
  const dist = await temporaryDirectory();
  t.teardown(dist.remove);
  const bundlePath = path.join(dist.dir, "echo", "index.mjs");
  const build = sleep(300).then(async () => {
    await mkdir(path.dirname(bundlePath), { recursive: true });
    await copyFile(fixtureBundlePathOf("echo"), bundlePath);
  });
  const server = await startLocalServer({
    ...quiet,
    routes: [{ method: "GET", path: "/echo", name: "echo" }],
    bundlePathOf: () => bundlePath,
    bundlesReady: build,
  });
  t.teardown(() => server.close());
  t.is((await fetch(`${server.url}/echo`)).status, 200);
});

test("fails to start, and lets go of the store, when the build fails", async (t) => {
  const data = await temporaryDirectory();
  t.teardown(data.remove);
  const failedBuild = Promise.reject(new Error("build failed"));
  const options = { ...quiet, inMemory: false, dataDir: data.dir, routes: [] };
  await t.throwsAsync(startLocalServer({ ...options, bundlesReady: failedBuild }), {
    message: "build failed",
  });
  // The store was closed: the same data directory opens again.
  const server = await startLocalServer(options);
  await server.close();
  t.pass();
});

test("fails to start when another server holds the data directory", async (t) => {
  const data = await temporaryDirectory();
  t.teardown(data.remove);
  const options = { ...quiet, inMemory: false, dataDir: data.dir, routes: [] };
  const first = await startLocalServer(options);
  t.teardown(() => first.close());
  await t.throwsAsync(startLocalServer(options), { message: /is in use by another local server/ });
});
