/**
 * DynamoDB goes away: the API runs against an external dynalite in a process of its own, which
 * the test kills and brings back on the same port and data. While it is down every route answers
 * 503 problem+json with Retry-After and the server keeps running; once it is back the
 * API serves normally, with every write acknowledged before the outage still there.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import test from "ava";
import { assertUnavailable, createThroughApi } from "../helpers/api-requests.ts";
import { type DynaliteProcess, startDynaliteProcess } from "../helpers/dynalite-process.ts";
import { type LocalApi, snapshotTable, startLocalApi } from "../helpers/local-api.ts";
import { sendRequest } from "../helpers/raw-http.ts";
import { oneCasePerRoute } from "../helpers/route-cases.ts";

let dir: string;
let dynamo: DynaliteProcess;
let api: LocalApi;

test.before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "items-api-outage-"));
  dynamo = await startDynaliteProcess({ dir });
  api = await startLocalApi({ endpoint: dynamo.endpoint });
});

test.after.always(async () => {
  await api?.close();
  await dynamo?.stop();
  await rm(dir, { recursive: true, force: true });
});

test.serial(
  "answers 503 with Retry-After on every route while DynamoDB is down, then recovers",
  async (t) => {
    const item = await createThroughApi(api.url);
    const before = await snapshotTable(api.db, api.tableName);

    await dynamo.stop("SIGKILL");
    const down = [];
    for (const { route, request } of oneCasePerRoute(item.id)) {
      const response = await sendRequest(api.url, request);
      assertUnavailable(t, route, response);
      down.push(`${route} ${response.status} in ${Math.round(response.ms)} ms`);
    }
    t.log(`database down: ${down.join("; ")}`);
    const unknownRoute = await sendRequest(api.url, { method: "GET", target: "/a/b" });
    t.is(unknownRoute.status, 404, "the server itself keeps running");

    await dynamo.start();
    const back = await sendRequest(api.url, { method: "GET", target: `/${item.id}` });
    t.is(back.status, 200, back.body.toString());
    t.deepEqual(JSON.parse(back.body.toString()), item, "the write acknowledged before is intact");
    t.deepEqual(await snapshotTable(api.db, api.tableName), before, "nothing written while down");
    const up = [];
    for (const { route, request } of oneCasePerRoute(item.id)) {
      const response = await sendRequest(api.url, request);
      t.true(response.status < 300, `${route} after recovery: ${response.status}`);
      up.push(`${route} ${response.status} in ${Math.round(response.ms)} ms`);
    }
    t.log(`database back: ${up.join("; ")}`);
  },
);

test.serial(
  "answers 503 to requests in flight when DynamoDB dies under them, and loses no acknowledged write",
  async (t) => {
    const acknowledged: string[] = [];
    const statuses = new Map<number, number>();
    let stopped: Promise<void> | undefined;
    await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const response = await sendRequest(api.url, {
          method: "POST",
          target: "/",
          headers: [["Content-Type", "application/json"]],
          body: JSON.stringify({ name: `in flight ${i}`, description: "" }),
        });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status === 201) {
          acknowledged.push((JSON.parse(response.body.toString()) as { id: string }).id);
          if (acknowledged.length === 10) stopped = dynamo.stop("SIGKILL");
        }
      }),
    );
    await stopped;
    t.log(`answers: ${JSON.stringify(Object.fromEntries(statuses))}`);
    t.deepEqual(
      [...statuses.keys()].filter((status) => status !== 201 && status !== 503),
      [],
      "only 201 or 503",
    );
    await dynamo.start();
    const stored = new Set((await snapshotTable(api.db, api.tableName)).map((row) => row.id));
    t.deepEqual(
      acknowledged.filter((id) => !stored.has(id)),
      [],
      "every acknowledged create survives",
    );
  },
);
