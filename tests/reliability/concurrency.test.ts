/**
 * Concurrent writes through the whole stack (HTTP, gateway, concurrent function instances,
 * DynamoDB): If-Match lets exactly one of fifty writers win, one delete of many succeeds, an
 * update racing a delete never brings the item back, and concurrent creates never collide.
 * The one concurrency suite: every race goes through the real local server, as clients make
 * it. Runs on dynalite and, in CI, on DynamoDB Local.
 */
import test from "ava";
import type { Item } from "../../common/items-table.ts";
import { createThroughApi } from "../helpers/api-requests.ts";
import { type LocalApi, snapshotTable, startLocalApi } from "../helpers/local-api.ts";
import { type RawRequest, type RawResponse, sendRequest } from "../helpers/raw-http.ts";

let api: LocalApi;

const json: [string, string] = ["Content-Type", "application/json"];
const fifty = <T>(make: (i: number) => T): T[] => Array.from({ length: 50 }, (_, i) => make(i));
const sendAll = (requests: RawRequest[]) =>
  Promise.all(requests.map((request) => sendRequest(api.url, request, 30_000)));

test.before(async () => {
  // Eight instances of each function: up to eight of the fifty writes overlap in DynamoDB.
  api = await startLocalApi({ maxInstancesPerFunction: 8 });
  // Start every instance up front: cold starts during a race would only add CPU noise.
  const missing = "2NkwCKLwMrj2YFTo1JTUF3ewg3y";
  const body = JSON.stringify({ name: "warm-up", description: "" });
  await sendAll([
    ...fifty(() => ({ method: "PUT", target: `/${missing}`, headers: [json], body })),
    ...fifty(() => ({ method: "DELETE", target: `/${missing}` })),
    ...fifty(() => ({ method: "POST", target: "/", headers: [json], body: "{}" })),
  ]);
});

test.after.always(async () => {
  await api?.close();
});

function statusCounts(responses: readonly RawResponse[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { status } of responses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

const storedRow = async (id: string) =>
  (await snapshotTable(api.db, api.tableName)).find((row) => row.id === id);

test.serial(
  "fifty concurrent PUTs with the same If-Match give exactly one 200 and forty-nine 412",
  async (t) => {
    const item = await createThroughApi(api.url);
    const answers = await sendAll(
      fifty((i) => ({
        method: "PUT",
        target: `/${item.id}`,
        headers: [json, ["If-Match", '"1"']],
        body: JSON.stringify({ name: `writer ${i}`, description: "" }),
      })),
    );
    t.deepEqual(statusCounts(answers), { 200: 1, 412: 49 });
    const winner = answers.find((answer) => answer.status === 200);
    t.deepEqual(
      await storedRow(item.id),
      winner && JSON.parse(winner.body.toString()),
      "the winner's write is stored",
    );
    t.is((await storedRow(item.id))?.version, 2);
  },
);

test.serial(
  "fifty concurrent PUTs without If-Match all succeed, each with a version of its own",
  async (t) => {
    const item = await createThroughApi(api.url);
    const answers = await sendAll(
      fifty((i) => ({
        method: "PUT",
        target: `/${item.id}`,
        headers: [json],
        body: JSON.stringify({ name: `writer ${i}`, description: "" }),
      })),
    );
    t.deepEqual(statusCounts(answers), { 200: 50 });
    const versions = answers.map((answer) => (JSON.parse(answer.body.toString()) as Item).version);
    t.deepEqual(
      versions.sort((a, b) => a - b),
      fifty((i) => i + 2),
    );
    t.is((await storedRow(item.id))?.version, 51);
  },
);

test.serial("fifty concurrent DELETEs of one item give exactly one 204", async (t) => {
  const item = await createThroughApi(api.url);
  const answers = await sendAll(fifty(() => ({ method: "DELETE", target: `/${item.id}` })));
  t.deepEqual(statusCounts(answers), { 204: 1, 404: 49 });
  t.is(await storedRow(item.id), undefined);
});

test.serial("fifty concurrent DELETEs with the same If-Match give exactly one 204", async (t) => {
  const item = await createThroughApi(api.url);
  const answers = await sendAll(
    fifty(() => ({ method: "DELETE", target: `/${item.id}`, headers: [["If-Match", '"1"']] })),
  );
  t.deepEqual(statusCounts(answers), { 204: 1, 404: 49 });
  t.is(await storedRow(item.id), undefined);
});

test.serial("PUTs racing a DELETE never bring the item back, round after round", async (t) => {
  for (let round = 0; round < 5; round++) {
    const item = await createThroughApi(api.url);
    const put = (i: number): RawRequest => ({
      method: "PUT",
      target: `/${item.id}`,
      headers: [json],
      body: JSON.stringify({ name: `racer ${i}`, description: "" }),
    });
    const answers = await sendAll([
      ...fifty(put).slice(0, 25),
      { method: "DELETE", target: `/${item.id}` },
      ...fifty(put).slice(25),
    ]);
    t.is(answers[25]?.status, 204, `round ${round}: the DELETE`);
    t.deepEqual(
      answers.filter((answer, i) => i !== 25 && answer.status !== 200 && answer.status !== 404),
      [],
      `round ${round}: every PUT either updated the item or found it gone`,
    );
    t.is(await storedRow(item.id), undefined, `round ${round}: gone for good`);
  }
});

test.serial(
  "fifty concurrent creates give fifty distinct items, each listed exactly once",
  async (t) => {
    const before = (await snapshotTable(api.db, api.tableName)).length;
    const answers = await sendAll(
      fifty((i) => ({
        method: "POST",
        target: "/",
        headers: [json],
        body: JSON.stringify({ name: `concurrent ${i}`, description: "" }),
      })),
    );
    t.deepEqual(statusCounts(answers), { 201: 50 });
    const ids = answers.map((answer) => (JSON.parse(answer.body.toString()) as Item).id);
    t.is(new Set(ids).size, 50);
    const listed: string[] = [];
    let target = "/?limit=7";
    for (;;) {
      const page = JSON.parse(
        (await sendRequest(api.url, { method: "GET", target })).body.toString(),
      ) as {
        items: Item[];
        lk: string | null;
      };
      listed.push(...page.items.map((item) => item.id));
      if (page.lk === null) break;
      target = `/?limit=7&lk=${page.lk}`;
    }
    t.is(listed.length, before + 50, "no item twice, none missing");
    t.deepEqual(
      ids.filter((id) => !listed.includes(id)),
      [],
    );
  },
);
