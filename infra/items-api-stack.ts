/**
 * The whole stack, driven by the route table: one function per route, each granted exactly
 * the actions its route declares, behind one HTTP API, over the items table (and the table of
 * Idempotency-Key records, for the routes that honour it). A route added
 * to common/routes.ts gets its function, role, log group, integration and permission here
 * without a line of infrastructure code.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import {
  idempotencyTableActionsOf,
  type Route,
  routes,
  signsPageTokens,
} from "../common/routes.ts";
import { idempotencyTable, itemsTable } from "../common/tables.ts";
import { Alarms } from "./alarms.ts";
import type { StackConfig } from "./config.ts";
import { DataTable } from "./data-table.ts";
import { HttpApi, type HttpApiProps } from "./http-api.ts";
import { PageTokenKey } from "./page-token-key.ts";
import { RouteFunction, type TableGrant } from "./route-function.ts";
import { addStateBackend } from "./state-backend.ts";

/** The zip of each function, by route name (see scripts/package.ts). */
export type FunctionZips = Readonly<Record<string, string>>;

/** The synthesized stack, with the parts tests and outputs refer to. */
export interface ItemsApiStack {
  readonly stack: TerraformStack;
  readonly api: HttpApi;
  readonly itemsTable: DataTable;
  readonly idempotencyTable: DataTable;
  readonly functions: ReadonlyMap<string, RouteFunction>;
}

/** The resource name prefix of a stage, e.g. `dev-items-api`. */
export function namePrefixOf(stage: string): string {
  return `${stage}-items-api`;
}

/** Builds the stack for one configuration. */
export function createItemsApiStack(
  scope: Construct,
  id: string,
  config: StackConfig,
  zips: FunctionZips,
): ItemsApiStack {
  const stack = new TerraformStack(scope, id);
  const prefix = namePrefixOf(config.stage);
  new AwsProvider(stack, "aws", {
    region: config.region,
    defaultTags: [{ tags: { Application: "items-api", Stage: config.stage, ManagedBy: "cdktf" } }],
  });
  addStateBackend(stack, config.state);

  const items = new DataTable(stack, "items-table", {
    tableName: `${prefix}-items`,
    shape: itemsTable,
    deletionProtection: config.deletionProtection,
  });
  // Idempotency-Key records of `POST /`, expired by DynamoDB's TTL on `expiration`.
  const idempotency = new DataTable(stack, "idempotency-table", {
    tableName: `${prefix}-idempotency`,
    shape: idempotencyTable,
    deletionProtection: config.deletionProtection,
  });
  const pageTokenKey = new PageTokenKey(stack, "page-token-key");
  // Each table a route uses adds one grant, and its name to the function's environment.
  const grantsOf = (route: Route): TableGrant[] => [
    { tableArn: items.arn, actions: route.itemsTableActions },
    { tableArn: idempotency.arn, actions: idempotencyTableActionsOf(route) },
  ];
  const environmentOf = (route: Route): Record<string, string> => ({
    TABLE_NAME: items.name,
    ...(idempotencyTableActionsOf(route).length > 0 && {
      IDEMPOTENCY_TABLE_NAME: idempotency.name,
    }),
    ...(signsPageTokens(route) && { PAGE_TOKEN_KEY: pageTokenKey.value }),
  });

  const functions = new Map<string, RouteFunction>();
  const apiRoutes: HttpApiProps["routes"][number][] = [];
  for (const route of routes) {
    const zipPath = zips[route.name];
    if (zipPath === undefined) throw new Error(`no zip for function ${route.name}`);
    const fn = new RouteFunction(stack, route.name, {
      functionName: `${prefix}-${route.name}`,
      zipPath,
      environment: environmentOf(route),
      tableGrants: grantsOf(route),
      config,
    });
    functions.set(route.name, fn);
    apiRoutes.push({ route, handler: fn.function });
  }

  const api = new HttpApi(stack, "http-api", {
    apiName: prefix,
    routes: apiRoutes,
    config,
  });

  if (config.alarmEmail !== undefined) {
    new Alarms(stack, "alarms", {
      namePrefix: prefix,
      email: config.alarmEmail,
      functions: new Map([...functions].map(([name, fn]) => [name, fn.function])),
      apiId: api.api.id,
      apiStageName: api.stage.name,
    });
  }

  new TerraformOutput(stack, "api_url", {
    value: api.url,
    description: "Base URL of the API",
  }).overrideLogicalId("api_url");
  new TerraformOutput(stack, "table_name", {
    value: items.name,
    description: "Name of the items table",
  }).overrideLogicalId("table_name");

  new TerraformOutput(stack, "idempotency_table_name", {
    value: idempotency.name,
    description: "Name of the Idempotency-Key table of POST /",
  }).overrideLogicalId("idempotency_table_name");

  return { stack, api, itemsTable: items, idempotencyTable: idempotency, functions };
}
