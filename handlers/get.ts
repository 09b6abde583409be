/** `GET /{id}`: the item with its ETag, or 304 when the client's copy is current. */
import { emptyResponse, etagOf, itemResponse, withHttp } from "../common/http.ts";
import { getItem, itemsTableFromEnvironment } from "../common/items-table.ts";
import { ifNoneMatchOf, itemIdOf } from "../common/request.ts";

const items = itemsTableFromEnvironment();

export const handler = withHttp(async (event) => {
  const item = await getItem(items, itemIdOf(event));
  const ifNoneMatch = ifNoneMatchOf(event);
  if (ifNoneMatch === "*" || ifNoneMatch?.includes(item.version)) {
    return emptyResponse(304, { etag: etagOf(item) });
  }
  return itemResponse(200, item);
});
