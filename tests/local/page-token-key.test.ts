/**
 * The local server's page-token key: generated once and kept with the data directory, so a
 * token outlives a restart exactly as long as the data does; per run with --in-memory; a token
 * of another data directory's server is refused like a forgery.
 */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import test from "ava";
import { startLocalServer } from "../../scripts/local/local-server.ts";
import { pageTokenKeyFileName } from "../../scripts/local/local-store.ts";
import { ensureBundles } from "../helpers/local-api.ts";
import { fixtureBundlePathOf, jsonOf, startFixtureServer } from "./fixture-server.ts";
import { temporaryDirectory } from "./server-process.ts";

test.before(ensureBundles);

// The embedded dynalite always (never DYNAMODB_ENDPOINT): the key lives with its data.
const start = (options: { dataDir?: string; inMemory?: boolean }) =>
  startLocalServer({ port: 0, onRequest: () => {}, onFunctionOutput: () => {}, ...options });

/** Starts a server on these options, creates two items once, and returns the first page's lk. */
async function firstToken(options: { dataDir?: string; inMemory?: boolean }, seed: boolean) {
  const api = await start(options);
  try {
    for (let i = 0; seed && i < 2; i++) {
      const created = await fetch(`${api.url}/`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: `item ${i}`, description: "" }),
      });
      if (created.status !== 201) throw new Error(`create answered ${created.status}`);
    }
    const page = (await (await fetch(`${api.url}/?limit=1`)).json()) as { lk: string };
    return { lk: page.lk, kept: api.pageTokenKeyKept };
  } finally {
    await api.close();
  }
}

async function statusOf(options: { dataDir?: string; inMemory?: boolean }, lk: string) {
  const api = await start(options);
  try {
    return (await fetch(`${api.url}/?limit=1&lk=${lk}`)).status;
  } finally {
    await api.close();
  }
}

test("the key is kept in the data directory: a token outlives a restart, not the data", async (t) => {
  const [one, two] = [await temporaryDirectory(), await temporaryDirectory()];
  t.teardown(one.remove);
  t.teardown(two.remove);
  const { lk, kept } = await firstToken({ dataDir: one.dir }, true);
  const file = path.join(one.dir, pageTokenKeyFileName);
  t.is(kept, file);
  t.is((await stat(file)).mode & 0o777, 0o600, "readable by its owner only");
  const key = (await readFile(file, "utf8")).trim();
  t.true(key.length >= 32);
  t.is(await statusOf({ dataDir: one.dir }, lk), 200, "same data directory, same key");
  t.is((await readFile(file, "utf8")).trim(), key, "the key was not replaced");
  // Another data directory with the same items table name: its own key refuses the token.
  await firstToken({ dataDir: two.dir }, true);
  t.is(await statusOf({ dataDir: two.dir }, lk), 400);
});

test("--in-memory: a new key each run", async (t) => {
  const { lk, kept } = await firstToken({ inMemory: true }, true);
  t.is(kept, "this run only");
  t.is(await statusOf({ inMemory: true }, lk), 400);
});

test("only a function that signs page tokens is given the key, as deployed", async (t) => {
  const server = await startFixtureServer({
    routes: [
      { method: "GET", path: "/signs", name: "signs", signsPageTokens: true },
      { method: "GET", path: "/other", name: "other" },
    ],
    bundlePathOf: () => fixtureBundlePathOf("page-token-key"),
  });
  t.teardown(() => server.close());
  const keyOf = async (path: string) =>
    (await jsonOf<{ key: string | null }>(await fetch(`${server.url}${path}`))).key;
  const key = await keyOf("/signs");
  t.true(typeof key === "string" && key.length >= 32, String(key));
  t.is(await keyOf("/other"), null);
  t.is(await keyOf("/signs"), key, "one key per run");
});

// Serial: it changes the environment, and serial tests run before the others.
test.serial(
  "a PAGE_TOKEN_KEY too short to be a key stops the start with a clear error",
  async (t) => {
    const saved = process.env.PAGE_TOKEN_KEY;
    process.env.PAGE_TOKEN_KEY = "short";
    t.teardown(() => {
      if (saved === undefined) delete process.env.PAGE_TOKEN_KEY;
      else process.env.PAGE_TOKEN_KEY = saved;
    });
    await t.throwsAsync(start({ inMemory: true }), {
      message: "PAGE_TOKEN_KEY must be at least 32 characters",
    });
  },
);
