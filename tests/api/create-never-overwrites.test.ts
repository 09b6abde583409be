/**
 * A create can never overwrite: the write is conditional on the id being new. Ids are random, so
 * to make two creates meet, this file (its own process) makes the id generator hand out an id
 * that is already taken, once. The database is real; only the randomness is pinned.
 */
import test from "ava";
import KSUID from "ksuid";
import type { Item } from "../../common/items-table.ts";
import { assertProblem, createItem, scanTable, send } from "../helpers/api.ts";
import { bodyOf, type HandlerHarness, loadHandlers } from "../helpers/handlers.ts";

let h: HandlerHarness;
test.before(async () => {
  h = await loadHandlers();
});
test.after.always(async () => {
  await h?.db.stop();
});

test("a create whose id is already taken leaves the existing item untouched", async (t) => {
  const existing = await createItem(h.handlers, { name: "first", description: "keep me" });
  const randomSync = KSUID.randomSync;
  let collisions = 0;
  KSUID.randomSync = ((...args: Parameters<typeof randomSync>) => {
    if (collisions++ === 0) return KSUID.parse(existing.id);
    return randomSync.apply(KSUID, args);
  }) as typeof randomSync;
  let exchange: Awaited<ReturnType<typeof send>>;
  try {
    exchange = await send(h.handlers, "create-item", {
      method: "POST",
      json: { name: "second", description: "must not overwrite" },
    });
  } finally {
    KSUID.randomSync = randomSync;
  }
  t.true(collisions >= 1, "the taken id was handed out");
  if (exchange.response.statusCode === 201) {
    // Retrying with a fresh id is fine; reusing the taken one is not.
    t.not(bodyOf<Item>(exchange.response).id, existing.id);
  } else {
    // 409: the taken id holds other content, so this is no earlier attempt of the same create.
    t.true([409, 500, 503].includes(exchange.response.statusCode ?? 0));
    assertProblem(t, exchange, exchange.response.statusCode ?? 0, [h.tableName]);
  }
  const rows = await scanTable(h.db, h.tableName);
  t.deepEqual(
    rows.find((row) => row.id === existing.id),
    existing,
    "the existing item is exactly as it was",
  );
});
