/**
 * The page sizes of `GET /` (API.md). A module of their own, so paging (request.ts) does not load
 * the request schemas and their validation library. The item fields' limits are in item-fields.ts.
 */
export const limits = {
  pageSizeDefault: 20,
  pageSizeMax: 100,
} as const;
