/**
 * No acknowledged write is lost: not across a clean restart, and not when the server process is
 * killed outright (SIGKILL) with writes still in flight. dynalite hands each write to LevelDB,
 * which has written it to its log file (the OS page cache) before the write is acknowledged.
 */
import { fileURLToPath } from "node:url";
import test from "ava";
import { startServerProcess, temporaryDirectory } from "./server-process.ts";

const serveFixtures = fileURLToPath(new URL("fixtures/serve-fixtures.ts", import.meta.url));

const put = (url: string, id: string) =>
  fetch(`${url}/items/${id}`, { method: "PUT", body: `body of ${id}` }).then((r) => r.status);

test("keeps every acknowledged write when the server is killed mid-stream", async (t) => {
  const data = await temporaryDirectory();
  t.teardown(data.remove);
  const first = await startServerProcess(serveFixtures, [data.dir]);
  t.teardown(() => first.stop("SIGKILL"));

  const acknowledged: string[] = [];
  const ids = Array.from({ length: 400 }, (_, i) => `item-${i}`);
  let killed: Promise<unknown> | undefined;
  await Promise.allSettled(
    ids.map(async (id) => {
      if ((await put(first.url, id)) !== 204) return;
      acknowledged.push(id);
      // Kill as soon as a quarter is acknowledged: many writes are still in flight.
      if (acknowledged.length === 100) killed = first.stop("SIGKILL");
    }),
  );
  await killed;
  t.true(acknowledged.length >= 100);

  const second = await startServerProcess(serveFixtures, [data.dir]);
  t.teardown(() => second.stop("SIGKILL"));
  const missing: string[] = [];
  for (const id of acknowledged) {
    const response = await fetch(`${second.url}/items/${id}`);
    if (response.status !== 200) missing.push(id);
    else t.is(((await response.json()) as { body: string }).body, `body of ${id}`);
  }
  t.deepEqual(missing, []);
  t.is(await second.stop("SIGTERM"), 0);
});

test("keeps writes across a clean stop and start", async (t) => {
  const data = await temporaryDirectory();
  t.teardown(data.remove);
  const first = await startServerProcess(serveFixtures, [data.dir]);
  t.is(await put(first.url, "kept"), 204);
  t.is(await first.stop("SIGTERM"), 0);
  const second = await startServerProcess(serveFixtures, [data.dir]);
  t.teardown(() => second.stop("SIGKILL"));
  t.is((await fetch(`${second.url}/items/kept`)).status, 200);
});
