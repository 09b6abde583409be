/** One configuration's rehearsal: synth, deploy, re-plan, read back, tear down, inventory. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readStackConfig, type StackConfig } from "../../infra/config.ts";
import { namePrefixOf } from "../../infra/items-api-stack.ts";
import { emulatorClients } from "./clients.ts";
import { type Configuration, rehearsalEnv } from "./configurations.ts";
import { leftovers, resetEmulator } from "./leftovers.ts";
import { readBack } from "./readback.ts";
import { unprotectTables } from "./readback-tables.ts";
import { judgeReplan, readAllowList } from "./replan.ts";
import { checkStateBucket, createStateBucket, deleteStateBucket } from "./state-bucket.ts";
import { Stack } from "./terraform.ts";

export interface Outcome {
  readonly name: string;
  readonly resources: number;
  readonly replan: string;
  readonly seconds: number;
  readonly problems: readonly string[];
}

function stackConfigOf(env: NodeJS.ProcessEnv): StackConfig {
  const cdktf = JSON.parse(readFileSync("cdktf.json", "utf8")) as {
    context?: Record<string, unknown>;
  };
  return readStackConfig(env, (key) => cdktf.context?.[key]);
}

/** The teardown docs/DEPLOY.md gives: production stages are unprotected first. */
async function tearDown(
  stack: Stack,
  clients: ReturnType<typeof emulatorClients>,
  config: StackConfig,
) {
  if (config.deletionProtection) {
    const unprotected = await unprotectTables(clients, namePrefixOf(config.stage));
    console.log(
      `rehearse: deletion protection turned off on ${unprotected.join(", ") || "nothing"}`,
    );
  }
  await stack.destroy();
}

interface Context {
  readonly endpoint: string;
  readonly workDir: string;
  readonly extraEnv: Readonly<Record<string, string>>;
}

/** The re-plan check's one-line summary and its problems. */
async function checkReplan(stack: Stack, configuration: Configuration) {
  const verdict = judgeReplan(configuration.name, await stack.replan(), readAllowList());
  const clean = verdict.allowed === 0 && verdict.unexpected.length === 0;
  return {
    summary: clean
      ? "no changes"
      : `${verdict.allowed} allowed, ${verdict.unexpected.length} unexpected`,
    problems: [...verdict.unexpected.map((c) => `re-plan: ${c}`), ...verdict.stale],
  };
}

export async function rehearseOne(
  configuration: Configuration,
  context: Context,
): Promise<Outcome> {
  const started = performance.now();
  const { endpoint } = context;
  const env = rehearsalEnv(process.env, endpoint, configuration, context.extraEnv);
  const config = stackConfigOf(env);
  const clients = emulatorClients(endpoint, config.region);
  const stack = new Stack(join(context.workDir, configuration.name, "cdktf.out"), env);
  const bucket = configuration.stateBucket;
  const problems: string[] = [];
  let resources = 0;
  let replan = "not reached";
  try {
    if (bucket) await createStateBucket(clients, bucket);
    await stack.synth();
    await stack.deploy();
    const appliedTypes = (await stack.resources()).map((r) => r.type);
    resources = appliedTypes.length;
    if (bucket && config.state.kind === "s3")
      problems.push(...(await checkStateBucket(clients, bucket, config.state.key)));
    const replanned = await checkReplan(stack, configuration);
    replan = replanned.summary;
    problems.push(...replanned.problems, ...(await readBack(clients, config)));
    await tearDown(stack, clients, config);
    if (bucket) await deleteStateBucket(clients, bucket);
    problems.push(...(await leftovers(clients, appliedTypes)));
  } catch (error) {
    problems.push((error as Error).message);
    await resetEmulator(endpoint);
  } finally {
    clients.destroy();
  }
  const seconds = Math.round((performance.now() - started) / 1000);
  return { name: configuration.name, resources, replan, seconds, problems };
}
