/** `PUT /{id}`: replaces name and description in one conditional write; never creates. */
import { itemResponse, withHttp } from "../common/http.ts";
import { itemsTableFromEnvironment, replaceItem } from "../common/items-table.ts";
import { ifMatchOf, itemIdOf, jsonBodyOf } from "../common/request.ts";
import { ItemReplacement, normalizeItemInput, parseBody } from "../common/schemas.ts";

const items = itemsTableFromEnvironment({ conditionalWrites: true });

export const handler = withHttp(async (event) => {
  const id = itemIdOf(event);
  const { name, description } = parseBody(ItemReplacement(id), jsonBodyOf(event));
  const item = await replaceItem(
    items,
    id,
    normalizeItemInput({ name, description }),
    ifMatchOf(event),
  );
  return itemResponse(200, item);
});
