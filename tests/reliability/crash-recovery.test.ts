/**
 * The server is killed outright (SIGKILL) while clients are writing: after a restart on the same
 * data directory, every write it acknowledged is there. Each writer creates an item, updates it
 * twice (the first time with If-Match) and deletes every other one; what was acknowledged is
 * recorded as it arrives, and what was in flight when the process died may have landed or not.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import test from "ava";
import type { Item } from "../../common/items-table.ts";
import { type ServerProcess, startServerProcess } from "../../scripts/load/server-process.ts";
import { sendRequest } from "../helpers/raw-http.ts";

/** What the clients were told about one item, and what was still unanswered at the kill. */
interface Ledger {
  item: Item;
  deleted: boolean;
  inFlight: "update" | "delete" | undefined;
}

const json: [string, string] = ["Content-Type", "application/json"];

async function write(
  url: string,
  method: string,
  target: string,
  body?: unknown,
  ifMatch?: string,
) {
  const headers: [string, string][] = body === undefined ? [] : [json];
  if (ifMatch) headers.push(["If-Match", ifMatch]);
  const request = {
    method,
    target,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
  return sendRequest(url, request, 5_000).catch(() => undefined);
}

/**
 * One writer: create, update with If-Match, update, delete every other item; until stopped. A
 * write that was not acknowledged (a 503 on a busy machine, no answer in 5 s) ends the round: the
 * item keeps what was acknowledged, and the write stays in flight (it may have landed).
 */
async function writer(url: string, n: number, ledgers: Ledger[], stop: () => boolean) {
  for (let round = 0; !stop(); round++) {
    const created = await write(url, "POST", "/", { name: `w${n} r${round}`, description: "v1" });
    if (created?.status !== 201) continue;
    const ledger: Ledger = {
      item: JSON.parse(created.body.toString()),
      deleted: false,
      inFlight: undefined,
    };
    ledgers.push(ledger);
    for (const [step, ifMatch] of [
      ["v2", '"1"'],
      ["v3", undefined],
    ] as const) {
      ledger.inFlight = "update";
      const updated = await write(
        url,
        "PUT",
        `/${ledger.item.id}`,
        { name: ledger.item.name, description: step },
        ifMatch,
      );
      if (updated?.status !== 200) break;
      ledger.item = JSON.parse(updated.body.toString());
      ledger.inFlight = undefined;
    }
    if (ledger.inFlight === undefined && round % 2 === 1) {
      ledger.inFlight = "delete";
      if ((await write(url, "DELETE", `/${ledger.item.id}`))?.status !== 204) continue;
      ledger.deleted = true;
      ledger.inFlight = undefined;
    }
  }
}

let dir: string;
const servers: ServerProcess[] = [];

test.before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "items-api-crash-"));
});

test.after.always(async () => {
  for (const server of servers) await server.kill("SIGKILL");
  await rm(dir, { recursive: true, force: true });
});

test("keeps every acknowledged write when the server is killed with SIGKILL under write load", async (t) => {
  const first = await startServerProcess(dir);
  servers.push(first);
  const ledgers: Ledger[] = [];
  let killed = false;
  const writers = Array.from({ length: 12 }, (_, n) => writer(first.url, n, ledgers, () => killed));
  const acknowledged = () => ledgers.length;
  // Kill in the middle of the stream: writes of every kind are in flight.
  while (acknowledged() < 150) await new Promise((resolve) => setTimeout(resolve, 20));
  await first.kill("SIGKILL");
  killed = true;
  await Promise.all(writers);

  const second = await startServerProcess(dir);
  servers.push(second);
  const problems: string[] = [];
  for (const { item, deleted, inFlight } of ledgers) {
    const read = await sendRequest(second.url, { method: "GET", target: `/${item.id}` });
    if (deleted) {
      if (read.status !== 404)
        problems.push(`${item.id}: deleted (204) but answers ${read.status}`);
      continue;
    }
    if (read.status !== 200) {
      if (!(inFlight === "delete" && read.status === 404))
        problems.push(`${item.id}: lost (${read.status})`);
      continue;
    }
    const stored = JSON.parse(read.body.toString()) as Item;
    const landedInFlight = inFlight === "update" && stored.version === item.version + 1;
    if (!landedInFlight && JSON.stringify(stored) !== JSON.stringify(item)) {
      problems.push(
        `${item.id}: acknowledged ${JSON.stringify(item)}, stored ${JSON.stringify(stored)}`,
      );
    }
  }
  const deletes = ledgers.filter((ledger) => ledger.deleted).length;
  const inFlight = ledgers.filter((ledger) => ledger.inFlight).length;
  t.log(
    `${ledgers.length} items acknowledged (${deletes} then deleted, ${inFlight} with a write in flight at the kill)`,
  );
  t.deepEqual(problems, [], "every acknowledged write survives the kill");
  t.true(ledgers.length >= 150);
  await second.kill("SIGTERM");
});
