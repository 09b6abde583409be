/**
 * The document's operations, one per route of common/routes.ts, with every status and header
 * API.md gives them. document.ts adds what a JWT authorizer changes.
 */
import { routes } from "../../common/routes.ts";

export const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` });
const json = (schema: string) => ({ "application/json": { schema: ref("schemas", schema) } });
const fromHandler = { "x-request-id": ref("headers", "RequestId") };

/** Answers any operation can get: its own 500 and 503, API Gateway's 429. */
const always = {
  "429": ref("responses", "TooManyRequests"),
  "500": ref("responses", "InternalServerError"),
  "503": ref("responses", "ServiceUnavailable"),
};

// What a client does next with the item it created (schemathesis follows these too).
const id = "$response.body#/id";
const ifMatch = "$response.header.ETag";
const itemLinks = {
  GetItem: { operationId: "getItem", parameters: { "path.id": id } },
  UpdateItem: {
    operationId: "updateItem",
    parameters: { "path.id": id, "header.If-Match": ifMatch },
  },
  DeleteItem: {
    operationId: "deleteItem",
    parameters: { "path.id": id, "header.If-Match": ifMatch },
  },
};

// operationId is the function's name in the route table, so the two cannot drift apart.
const operationIdOf = (method: string, path: string) => {
  const route = routes.find((r) => r.method === method && r.path === path);
  if (!route) throw new Error(`no route ${method} ${path}`);
  return route.name.replace(/-(.)/g, (_, letter: string) => letter.toUpperCase());
};

export const paths = {
  "/": {
    post: {
      operationId: operationIdOf("POST", "/"),
      tags: ["items"],
      summary: "Create an item",
      description:
        "Creates an item under a fresh id; never overwrites. With `Idempotency-Key`, a repeat " +
        "of the same request within 24 hours answers as the first did and creates nothing.",
      parameters: [ref("parameters", "IdempotencyKey")],
      requestBody: { required: true, content: json("ItemInput") },
      responses: {
        "201": {
          description: "Created: the item. A replay answers exactly as the first request did.",
          headers: {
            ...fromHandler,
            ETag: ref("headers", "ETag"),
            Location: ref("headers", "Location"),
            "Idempotent-Replayed": ref("headers", "IdempotentReplayed"),
          },
          content: json("Item"),
          links: itemLinks,
        },
        "400": ref("responses", "BadRequest"),
        "409": ref("responses", "Conflict"),
        "413": ref("responses", "ContentTooLarge"),
        "415": ref("responses", "UnsupportedMediaType"),
        "422": ref("responses", "UnprocessableContent"),
        ...always,
      },
    },
    get: {
      operationId: operationIdOf("GET", "/"),
      tags: ["items"],
      summary: "List a page of items",
      description:
        "Items in the table's scan order. Walking the pages from the first to `lk: null` " +
        "yields every item that existed for the whole walk exactly once.",
      parameters: [ref("parameters", "Limit"), ref("parameters", "PageToken")],
      responses: {
        "200": {
          description: "A page of items, and the token of the next page (null on the last).",
          headers: { ...fromHandler, Link: ref("headers", "Link") },
          content: json("ItemsPage"),
        },
        "400": ref("responses", "BadRequest"),
        ...always,
      },
    },
  },
  "/{id}": {
    parameters: [ref("parameters", "ItemId")],
    get: {
      operationId: operationIdOf("GET", "/{id}"),
      tags: ["items"],
      summary: "Read an item",
      description:
        "The item, with its `ETag`. `If-None-Match` naming the current version answers 304 " +
        "without a body. An id that is not a KSUID answers 404 without reading the table.",
      parameters: [ref("parameters", "IfNoneMatch")],
      responses: {
        "200": ref("responses", "ItemWithETag"),
        "304": {
          description: "Not Modified: `If-None-Match` names the current version.",
          headers: { ...fromHandler, ETag: ref("headers", "ETag") },
        },
        "404": ref("responses", "NotFound"),
        ...always,
      },
    },
    put: {
      operationId: operationIdOf("PUT", "/{id}"),
      tags: ["items"],
      summary: "Replace an item's name and description",
      description:
        "Replaces both fields, bumps `version` and `updatedAt`, in one conditional write. " +
        "Never creates: a missing item is 404. The body may be the item as `GET /{id}` " +
        "returned it, with changes: its timestamps are ignored and its `version` is a " +
        "precondition like `If-Match`.",
      parameters: [ref("parameters", "IfMatch")],
      requestBody: { required: true, content: json("ItemReplacement") },
      responses: {
        "200": ref("responses", "ItemWithETag"),
        "400": ref("responses", "BadRequest"),
        "404": ref("responses", "NotFound"),
        "412": ref("responses", "PreconditionFailed"),
        "413": ref("responses", "ContentTooLarge"),
        "415": ref("responses", "UnsupportedMediaType"),
        ...always,
      },
    },
    delete: {
      operationId: operationIdOf("DELETE", "/{id}"),
      tags: ["items"],
      summary: "Delete an item",
      description:
        "Deletes the item in one conditional write: 204 when it existed, 404 when it did not. " +
        "With `If-Match`, only at a version the header names (412 otherwise; the item stays).",
      parameters: [ref("parameters", "IfMatch")],
      responses: {
        "204": { description: "Deleted.", headers: fromHandler },
        "404": ref("responses", "NotFound"),
        "412": ref("responses", "PreconditionFailed"),
        ...always,
      },
    },
  },
};
