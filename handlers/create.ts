/**
 * `POST /`: creates an item and answers 201 with it, its Location and its ETag. With an
 * Idempotency-Key, a repeat of the same request replays that answer instead of creating again,
 * and the item's id is derived from the caller, the key and the item: a retry after a failure
 * between writing the item and recording the answer finds that item and answers with it.
 */
import { callerOf } from "../common/caller.ts";
import { itemResponse, withHttp } from "../common/http.ts";
import { idempotentRequestsFromEnvironment } from "../common/idempotency-on-demand.ts";
import { itemIdFor, newItemId } from "../common/item-id.ts";
import { createItem, itemsTableFromEnvironment } from "../common/items-table.ts";
import { idempotencyKeyOf, jsonBodyOf } from "../common/request.ts";
import { ItemInput, normalizeItemInput, parseBody } from "../common/schemas.ts";

const items = itemsTableFromEnvironment();
const operation = "create-item";
const idempotentRequests = idempotentRequestsFromEnvironment(operation);

export const handler = withHttp(async (event, context) => {
  const key = idempotencyKeyOf(event);
  const input = parseBody(ItemInput, jsonBodyOf(event));
  const fields = normalizeItemInput(input);
  const create = async (id: string) => {
    const item = await createItem(items, id, fields);
    return itemResponse(201, item, { location: `/${item.id}` });
  };
  if (key === undefined) return create(newItemId());
  // With an authorizer, keys are the caller's own: another caller's same key is another request.
  const caller = callerOf(event) ?? null;
  // The id is derived only when the create runs: a replay, 409 or 422 needs none.
  return idempotentRequests.run({ caller, key }, input, context, () =>
    create(itemIdFor([operation, caller, key, fields.name, fields.description])),
  );
});
