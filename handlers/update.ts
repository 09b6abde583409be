/**
 * `PUT /{id}`: replaces name and description in one conditional write; never creates. The body may
 * be the item as `GET /{id}` returned it: its timestamps are ignored, its `version` is a
 * precondition like `If-Match`.
 */
import { itemResponse, withHttp } from "../common/http.ts";
import { itemsTableFromEnvironment, replaceItem } from "../common/items-table.ts";
import { ifMatchOf, itemIdOf, jsonBodyOf, preconditionOf } from "../common/request.ts";
import { ItemReplacement, normalizeItemInput, parseBody } from "../common/schemas.ts";

const items = itemsTableFromEnvironment({ conditionalWrites: true });

export const handler = withHttp(async (event) => {
  const id = itemIdOf(event);
  const { name, description, version } = parseBody(ItemReplacement(id), jsonBodyOf(event));
  const precondition = preconditionOf(ifMatchOf(event), version);
  const item = await replaceItem(
    items,
    id,
    normalizeItemInput({ name, description }),
    precondition,
  );
  return itemResponse(200, item);
});
