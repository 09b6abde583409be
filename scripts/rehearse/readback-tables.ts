/**
 * The tables as deployed: point-in-time recovery, encryption, TTL as common/tables.ts
 * declares it, and deletion protection on production stages, whose tables must refuse a
 * delete. Also the teardown step docs/DEPLOY.md gives for production stages.
 */
import {
  DeleteTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  UpdateTableCommand,
} from "@aws-sdk/client-dynamodb";
import { idempotencyTable, itemsTable } from "../../common/tables.ts";
import type { Clients } from "./clients.ts";

/** The stage's tables with the TTL attribute each declares. */
function tablesOf(prefix: string): { name: string; ttl?: string }[] {
  return [
    { name: `${prefix}-items`, ttl: (itemsTable as { ttlAttribute?: string }).ttlAttribute },
    { name: `${prefix}-idempotency`, ttl: idempotencyTable.ttlAttribute },
  ];
}

export async function tableArns(clients: Clients, prefix: string) {
  const arnOf = async (name: string) =>
    (await clients.dynamodb.send(new DescribeTableCommand({ TableName: name }))).Table?.TableArn;
  return {
    items: await arnOf(`${prefix}-items`),
    idempotency: await arnOf(`${prefix}-idempotency`),
  };
}

async function refusesDeletion(clients: Clients, name: string): Promise<boolean> {
  try {
    await clients.dynamodb.send(new DeleteTableCommand({ TableName: name }));
    return false;
  } catch (error) {
    return (error as Error).name === "ValidationException";
  }
}

async function checkTable(
  clients: Clients,
  table: { name: string; ttl?: string },
  protect: boolean,
) {
  const { name } = table;
  const problems: string[] = [];
  const described = (await clients.dynamodb.send(new DescribeTableCommand({ TableName: name })))
    .Table;
  if (described?.SSEDescription?.Status !== "ENABLED") problems.push(`${name}: not encrypted`);
  if ((described?.DeletionProtectionEnabled ?? false) !== protect) {
    problems.push(
      `${name}: deletion protection ${described?.DeletionProtectionEnabled}, expected ${protect}`,
    );
  }
  const backups = await clients.dynamodb.send(
    new DescribeContinuousBackupsCommand({ TableName: name }),
  );
  const pitr = backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
  if (pitr?.PointInTimeRecoveryStatus !== "ENABLED")
    problems.push(`${name}: no point-in-time recovery`);
  const ttl = (await clients.dynamodb.send(new DescribeTimeToLiveCommand({ TableName: name })))
    .TimeToLiveDescription;
  const ttlNow = ttl?.TimeToLiveStatus === "ENABLED" ? ttl.AttributeName : undefined;
  if (ttlNow !== table.ttl)
    problems.push(`${name}: TTL on ${ttlNow ?? "nothing"}, expected ${table.ttl ?? "none"}`);
  if (protect && !(await refusesDeletion(clients, name)))
    problems.push(`${name}: a delete was not refused`);
  return problems;
}

export async function checkTables(
  clients: Clients,
  prefix: string,
  protect: boolean,
): Promise<string[]> {
  const problems: string[] = [];
  for (const table of tablesOf(prefix))
    problems.push(...(await checkTable(clients, table, protect)));
  return problems;
}

/**
 * docs/DEPLOY.md's first step in retiring a production stage: turn deletion protection off on
 * every table of the stage that has it. Returns the tables it changed.
 */
export async function unprotectTables(clients: Clients, prefix: string): Promise<string[]> {
  const changed: string[] = [];
  for (const { name } of tablesOf(prefix)) {
    const table = (await clients.dynamodb.send(new DescribeTableCommand({ TableName: name })))
      .Table;
    if (!table?.DeletionProtectionEnabled) continue;
    await clients.dynamodb.send(
      new UpdateTableCommand({ TableName: name, DeletionProtectionEnabled: false }),
    );
    changed.push(name);
  }
  return changed;
}
