/** `DELETE /{id}`: removes the item (204), honouring If-Match. */
import { emptyResponse, withHttp } from "../common/http.ts";
import { deleteItem, itemsTableFromEnvironment } from "../common/items-table.ts";
import { ifMatchOf, itemIdOf } from "../common/request.ts";

const items = itemsTableFromEnvironment({ conditionalWrites: true });

export const handler = withHttp(async (event) => {
  await deleteItem(items, itemIdOf(event), ifMatchOf(event));
  return emptyResponse(204);
});
