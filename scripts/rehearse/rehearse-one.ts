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
import { createStateBucket, deleteStateBucket, objectVersions } from "./state-bucket.ts";
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
  const problems: string[] = [];
  let resources = 0;
  let replan = "not reached";
  try {
    if (configuration.stateBucket) await createStateBucket(clients, configuration.stateBucket);
    await stack.synth();
    await stack.deploy();
    const applied = await stack.resources();
    resources = applied.length;
    if (config.state.kind === "s3" && configuration.stateBucket) {
      const keys = (await objectVersions(clients, configuration.stateBucket)).map((v) => v.Key);
      if (!keys.includes(config.state.key))
        problems.push(`no state object ${config.state.key} in the bucket`);
    }
    const verdict = judgeReplan(configuration.name, await stack.replan(), readAllowList());
    replan =
      verdict.allowed === 0 && verdict.unexpected.length === 0
        ? "no changes"
        : `${verdict.allowed} allowed, ${verdict.unexpected.length} unexpected`;
    problems.push(...verdict.unexpected.map((c) => `re-plan: ${c}`), ...verdict.stale);
    problems.push(...(await readBack(clients, config)));
    await tearDown(stack, clients, config);
    if (configuration.stateBucket) await deleteStateBucket(clients, configuration.stateBucket);
    problems.push(
      ...(await leftovers(
        clients,
        applied.map((r) => r.type),
      )),
    );
  } catch (error) {
    problems.push((error as Error).message);
    await resetEmulator(endpoint);
  } finally {
    clients.destroy();
  }
  const seconds = Math.round((performance.now() - started) / 1000);
  return { name: configuration.name, resources, replan, seconds, problems };
}
