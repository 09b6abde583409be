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
  routeOnlyEnvironmentOf,
  routes,
} from "../common/routes.ts";
import { idempotencyTable, itemsTable } from "../common/tables.ts";
import { Alarms } from "./alarms.ts";
import type { StackConfig } from "./config.ts";
import { DataTable } from "./data-table.ts";
import { HttpApi } from "./http-api.ts";
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
  addProvider(stack, config);
  addStateBackend(stack, config.state);
  const tables = addTables(stack, prefix, config);
  const pageTokenKey = new PageTokenKey(stack, "page-token-key");
  const functions = addRouteFunctions(stack, prefix, config, zips, tables, pageTokenKey);
  const api = new HttpApi(stack, "http-api", {
    apiName: prefix,
    routes: routes.map((route) => ({ route, handler: functionOf(functions, route).function })),
    config,
  });
  addAlarms(stack, prefix, config, functions, api);
  addOutputs(stack, api, tables);
  return {
    stack,
    api,
    itemsTable: tables.items,
    idempotencyTable: tables.idempotency,
    functions,
  };
}

/** The tables the functions use. */
interface Tables {
  readonly items: DataTable;
  readonly idempotency: DataTable;
}

/** The AWS provider, tagging every resource with the application and stage. */
function addProvider(stack: TerraformStack, config: StackConfig): void {
  new AwsProvider(stack, "aws", {
    region: config.region,
    defaultTags: [{ tags: { Application: "items-api", Stage: config.stage, ManagedBy: "cdktf" } }],
  });
}

/** The items table, and the table of Idempotency-Key records. */
function addTables(stack: TerraformStack, prefix: string, config: StackConfig): Tables {
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
  return { items, idempotency };
}

/** One function per route, granted the tables its route uses, by route name. */
function addRouteFunctions(
  stack: TerraformStack,
  prefix: string,
  config: StackConfig,
  zips: FunctionZips,
  tables: Tables,
  pageTokenKey: PageTokenKey,
): Map<string, RouteFunction> {
  const functions = new Map<string, RouteFunction>();
  for (const route of routes) {
    const zipPath = zips[route.name];
    if (zipPath === undefined) throw new Error(`no zip for function ${route.name}`);
    const fn = new RouteFunction(stack, route.name, {
      functionName: `${prefix}-${route.name}`,
      zipPath,
      environment: environmentOf(route, tables, pageTokenKey),
      tableGrants: grantsOf(route, tables),
      config,
    });
    functions.set(route.name, fn);
  }
  return functions;
}

/** Each table a route uses adds one grant... */
function grantsOf(route: Route, tables: Tables): TableGrant[] {
  return [
    { tableArn: tables.items.arn, actions: route.itemsTableActions },
    { tableArn: tables.idempotency.arn, actions: idempotencyTableActionsOf(route) },
  ];
}

/** ...and its name to the function's environment. */
function environmentOf(
  route: Route,
  tables: Tables,
  pageTokenKey: PageTokenKey,
): Record<string, string> {
  return {
    TABLE_NAME: tables.items.name,
    ...routeOnlyEnvironmentOf(route, {
      idempotencyTableName: tables.idempotency.name,
      pageTokenKey: pageTokenKey.value,
    }),
  };
}

function functionOf(functions: ReadonlyMap<string, RouteFunction>, route: Route): RouteFunction {
  const fn = functions.get(route.name);
  if (fn === undefined) throw new Error(`no function for route ${route.name}`);
  return fn;
}

/** Alarms on the functions and the API, when an address to notify is configured. */
function addAlarms(
  stack: TerraformStack,
  prefix: string,
  config: StackConfig,
  functions: ReadonlyMap<string, RouteFunction>,
  api: HttpApi,
): void {
  if (config.alarmEmail === undefined) return;
  new Alarms(stack, "alarms", {
    namePrefix: prefix,
    email: config.alarmEmail,
    functions: new Map([...functions].map(([name, fn]) => [name, fn.function])),
    apiId: api.api.id,
    apiStageName: api.stage.name,
  });
}

/** The API's URL and the table names, as Terraform outputs. */
function addOutputs(stack: TerraformStack, api: HttpApi, tables: Tables): void {
  new TerraformOutput(stack, "api_url", {
    value: api.url,
    description: "Base URL of the API",
  }).overrideLogicalId("api_url");
  new TerraformOutput(stack, "table_name", {
    value: tables.items.name,
    description: "Name of the items table",
  }).overrideLogicalId("table_name");
  new TerraformOutput(stack, "idempotency_table_name", {
    value: tables.idempotency.name,
    description: "Name of the Idempotency-Key table of POST /",
  }).overrideLogicalId("idempotency_table_name");
}
