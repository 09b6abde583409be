/** `GET /`: one page of items in scan order, with the `lk` token and a `Link` to the next page. */
import { readPageTokenKey } from "../common/config.ts";
import { jsonResponse, withHttp } from "../common/http.ts";
import { itemsTableFromEnvironment, listItems } from "../common/items-table.ts";
import { pageTokensOf } from "../common/page-token.ts";
import { pageRequestOf } from "../common/request.ts";

const items = itemsTableFromEnvironment();
const tokens = pageTokensOf(readPageTokenKey());

export const handler = withHttp(async (event) => {
  const { limit, after } = pageRequestOf(event, tokens);
  const page = await listItems(items, limit, after);
  if (page.lastId === undefined) return jsonResponse(200, { items: page.items, lk: null });
  const lk = tokens.encode(page.lastId);
  const link = `<${event.rawPath}?lk=${lk}&limit=${limit}>; rel="next"`;
  return jsonResponse(200, { items: page.items, lk }, { link });
});
