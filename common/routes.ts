/**
 * The one route table. The build, the local server and the infrastructure all read it, so a
 * route can never exist in one place and not in another.
 */

/** A DynamoDB action a function may call; the infrastructure grants exactly these. */
export type DynamoDbAction =
  | "dynamodb:GetItem"
  | "dynamodb:PutItem"
  | "dynamodb:UpdateItem"
  | "dynamodb:DeleteItem"
  | "dynamodb:Scan";

export interface Route {
  /** HTTP method, as in API Gateway's route key. */
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path, as in API Gateway's route key (`{id}` is a path parameter). */
  readonly path: "/" | "/{id}";
  /** Function name: the bundle folder `dist/<name>/` and the Lambda name suffix. */
  readonly name: string;
  /** Source file of the handler, relative to the project root. */
  readonly entry: string;
  /** Exactly the DynamoDB actions the function calls on the items table. */
  readonly itemsTableActions: readonly DynamoDbAction[];
  /**
   * Exactly the DynamoDB actions it calls on the idempotency table, for a route that honours
   * `Idempotency-Key`. Only such a function gets the table's name and a grant on it.
   */
  readonly idempotencyTableActions?: readonly DynamoDbAction[];
  /** Makes and reads page tokens: only such a function is given the page-token key. */
  readonly signsPageTokens?: true;
}

export const routes = [
  {
    method: "POST",
    path: "/",
    name: "create-item",
    entry: "handlers/create.ts",
    itemsTableActions: ["dynamodb:PutItem"],
    // Powertools' persistence layer: PutItem claims the key (conditionally), GetItem reads the
    // existing record where the server does not return it with the failed condition (dynalite),
    // UpdateItem stores the answer, DeleteItem lets go of the key when the create fails.
    idempotencyTableActions: [
      "dynamodb:PutItem",
      "dynamodb:GetItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
    ],
  },
  {
    method: "GET",
    path: "/",
    name: "list-items",
    entry: "handlers/list.ts",
    itemsTableActions: ["dynamodb:Scan"],
    signsPageTokens: true,
  },
  {
    method: "GET",
    path: "/{id}",
    name: "get-item",
    entry: "handlers/get.ts",
    itemsTableActions: ["dynamodb:GetItem"],
  },
  {
    method: "PUT",
    path: "/{id}",
    name: "update-item",
    // GetItem tells a version mismatch (412) from a missing item (404) after a failed condition.
    entry: "handlers/update.ts",
    itemsTableActions: ["dynamodb:UpdateItem", "dynamodb:GetItem"],
  },
  {
    method: "DELETE",
    path: "/{id}",
    name: "delete-item",
    entry: "handlers/delete.ts",
    itemsTableActions: ["dynamodb:DeleteItem", "dynamodb:GetItem"],
  },
] as const satisfies readonly Route[];

/** The actions a route calls on the idempotency table; none for most routes. */
export function idempotencyTableActionsOf(route: object): readonly DynamoDbAction[] {
  return "idempotencyTableActions" in route
    ? (route.idempotencyTableActions as readonly DynamoDbAction[])
    : [];
}

/** Whether a route's function signs page tokens, and so gets PAGE_TOKEN_KEY. */
export function signsPageTokens(route: object): boolean {
  return "signsPageTokens" in route && route.signsPageTokens === true;
}

/**
 * What a route's function is told beyond its items table, as the stack deploys it and the local
 * server runs it: the idempotency table's name only where it is granted, the page-token key only
 * where tokens are signed.
 */
export function routeOnlyEnvironmentOf(
  route: object,
  values: { readonly idempotencyTableName: string; readonly pageTokenKey: string },
): Record<string, string> {
  return {
    ...(idempotencyTableActionsOf(route).length > 0 && {
      IDEMPOTENCY_TABLE_NAME: values.idempotencyTableName,
    }),
    ...(signsPageTokens(route) && { PAGE_TOKEN_KEY: values.pageTokenKey }),
  };
}

/** API Gateway's route key, e.g. `GET /{id}`. */
export function routeKeyOf(route: Pick<Route, "method" | "path">): string {
  return `${route.method} ${route.path}`;
}
