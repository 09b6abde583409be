/**
 * The API's size limits (API.md). A module of their own, so a function that only reads them
 * (paging, in request.ts) does not load the request schemas and their validation library.
 */
export const limits = {
  nameMaxLength: 200,
  descriptionMaxLength: 2_000,
  pageSizeDefault: 20,
  pageSizeMax: 100,
} as const;
