/**
 * The rehearsal deploys exactly what users deploy: the Terraform JSON synthesized in the
 * rehearsal's environment (emulator endpoint, dummy keys, its own CLI config) is byte for byte
 * the JSON synthesized with only the configuration's settings exported, as a user would.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import test from "ava";
import { configurations, rehearsalEnv } from "../../scripts/rehearse/configurations.ts";

const run = promisify(execFile);

async function synthesizedJson(env: NodeJS.ProcessEnv): Promise<Buffer> {
  const outdir = await mkdtemp(path.join(os.tmpdir(), "items-api-synth-env-"));
  await run("npx", ["tsx", "main.ts"], { env: { ...env, CDKTF_OUTDIR: outdir } });
  return readFile(path.join(outdir, "stacks", "items-api", "cdk.tf.json"));
}

// Settings of the caller's that the rehearsal must not let through.
const callersEnv = {
  ...process.env,
  AWS_PROFILE: "someones-real-account",
  AWS_REGION: "eu-west-1",
  ITEMS_API_STAGE: "left-over",
};

// Serial: each synth packages into the same dist/packages/.
for (const name of ["all-options", "s3-state"]) {
  test.serial(`${name}: the rehearsal synthesizes the JSON a user's synth gives`, async (t) => {
    t.timeout(10 * 60_000); // bounds a hang only: each synth builds and zips every function
    const configuration = configurations.find((c) => c.name === name);
    if (!configuration) return t.fail(`no configuration ${name}`);
    const users = await synthesizedJson({
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...configuration.settings,
    });
    const env = rehearsalEnv(callersEnv, "http://127.0.0.1:1", configuration, {
      TF_CLI_CONFIG_FILE: "/nonexistent/terraform.rc",
    });
    t.is(env.AWS_PROFILE, undefined);
    const rehearsed = await synthesizedJson(env);
    t.true(rehearsed.equals(users));
    t.true(rehearsed.includes(configuration.settings.ITEMS_API_STAGE ?? "dev"));
  });
}
