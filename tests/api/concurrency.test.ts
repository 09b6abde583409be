/**
 * Concurrent writes: If-Match lets exactly one writer win, a delete happens once, and an update
 * racing a delete can never bring the item back (update is one conditional write).
 *
 * dynalite runs in a process of its own and the bursts run one at a time: fifty writes to one
 * item queue behind each other, and the handlers' one-second request timeout must not fire just
 * because the test machine is busy (when it does, the write answers 503: an update or delete is
 * not resent after a timeout, as it may have landed; tests/reliability/database-faults.test.ts
 * shows it with answers held past the timeout).
 */
import test from "ava";
import type { Item } from "../../common/items-table.ts";
import { createItem, send, storedRow } from "../helpers/api.ts";
import { type DynaliteProcess, startDynaliteProcess } from "../helpers/dynalite-process.ts";
import { bodyOf, type HandlerHarness, loadHandlers } from "../helpers/handlers.ts";

let dynalite: DynaliteProcess;
let h: HandlerHarness;
test.before(async () => {
  dynalite = await startDynaliteProcess();
  process.env.DYNAMODB_ENDPOINT = dynalite.endpoint;
  h = await loadHandlers();
  // Warm up: the first burst of a cold process is the slowest.
  const item = await createItem(h.handlers);
  await Promise.all(
    Array.from({ length: 20 }, () =>
      send(h.handlers, "update-item", {
        method: "PUT",
        id: item.id,
        json: { name: "warm", description: "" },
      }),
    ),
  );
});
test.after.always(async () => {
  await h?.db.stop();
  await dynalite?.stop();
});

function statusCounts(statuses: readonly (number | undefined)[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const status of statuses) counts[String(status)] = (counts[String(status)] ?? 0) + 1;
  return counts;
}

test.serial(
  "fifty concurrent updates with the same If-Match give one 200 and forty-nine 412",
  async (t) => {
    const item = await createItem(h.handlers);
    const exchanges = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        send(h.handlers, "update-item", {
          method: "PUT",
          id: item.id,
          headers: { "if-match": '"1"' },
          json: { name: `writer ${i}`, description: "" },
        }),
      ),
    );
    t.deepEqual(statusCounts(exchanges.map(({ response }) => response.statusCode)), {
      200: 1,
      412: 49,
    });
    const winner = exchanges.find(({ response }) => response.statusCode === 200);
    const stored = await storedRow(h.db, h.tableName, item.id);
    t.deepEqual(stored, winner && bodyOf<Item>(winner.response), "the stored item is the winner's");
    t.is(stored?.version, 2);
  },
);

test.serial("ten concurrent deletes of one item give one 204 and nine 404", async (t) => {
  const item = await createItem(h.handlers);
  const exchanges = await Promise.all(
    Array.from({ length: 10 }, () =>
      send(h.handlers, "delete-item", { method: "DELETE", id: item.id }),
    ),
  );
  t.deepEqual(statusCounts(exchanges.map(({ response }) => response.statusCode)), {
    204: 1,
    404: 9,
  });
  t.is(await storedRow(h.db, h.tableName, item.id), undefined);
});

test.serial(
  "ten concurrent deletes with the same If-Match give one 204 and nine 404",
  async (t) => {
    const item = await createItem(h.handlers);
    const exchanges = await Promise.all(
      Array.from({ length: 10 }, () =>
        send(h.handlers, "delete-item", {
          method: "DELETE",
          id: item.id,
          headers: { "if-match": '"1"' },
        }),
      ),
    );
    t.deepEqual(statusCounts(exchanges.map(({ response }) => response.statusCode)), {
      204: 1,
      404: 9,
    });
  },
);

test.serial("updates racing a delete never resurrect the item", async (t) => {
  for (let round = 0; round < 5; round++) {
    const item = await createItem(h.handlers);
    const updates = Array.from({ length: 20 }, (_, i) =>
      send(h.handlers, "update-item", {
        method: "PUT",
        id: item.id,
        json: { name: `racer ${i}`, description: "" },
      }),
    );
    const deletion = send(h.handlers, "delete-item", { method: "DELETE", id: item.id });
    const [deleted, ...updated] = await Promise.all([deletion, ...updates]);
    t.is(deleted?.response.statusCode, 204);
    for (const { response } of updated) t.true([200, 404].includes(response.statusCode ?? 0));
    t.is(await storedRow(h.db, h.tableName, item.id), undefined, `round ${round}: still gone`);
  }
});
