/** `POST /`: creates an item and answers 201 with it, its Location and its ETag. */
import { itemResponse, withHttp } from "../common/http.ts";
import { itemsTableFromEnvironment } from "../common/items-table.ts";
import { jsonBodyOf } from "../common/request.ts";
import { ItemInput, normalizeItemInput, parseBody } from "../common/schemas.ts";

const items = itemsTableFromEnvironment();

export const handler = withHttp(async (event) => {
  const input = parseBody(ItemInput, jsonBodyOf(event));
  const item = await items.create(normalizeItemInput(input));
  return itemResponse(201, item, { location: `/${item.id}` });
});
