/**
 * `POST /`: creates an item and answers 201 with it, its Location and its ETag. With an
 * Idempotency-Key, a repeat of the same request replays that answer instead of creating again.
 */
import { itemResponse, withHttp } from "../common/http.ts";
import { idempotentRequestsFromEnvironment } from "../common/idempotency-on-demand.ts";
import { newItemId } from "../common/item-id.ts";
import { createItem, itemsTableFromEnvironment } from "../common/items-table.ts";
import { idempotencyKeyOf, jsonBodyOf } from "../common/request.ts";
import { ItemInput, normalizeItemInput, parseBody } from "../common/schemas.ts";

const items = itemsTableFromEnvironment();
const idempotentRequests = idempotentRequestsFromEnvironment("create-item");

export const handler = withHttp(async (event, context) => {
  const key = idempotencyKeyOf(event);
  const input = parseBody(ItemInput, jsonBodyOf(event));
  const create = async () => {
    const item = await createItem(items, newItemId(), normalizeItemInput(input));
    return itemResponse(201, item, { location: `/${item.id}` });
  };
  return key === undefined ? create() : idempotentRequests.run(key, input, context, create);
});
