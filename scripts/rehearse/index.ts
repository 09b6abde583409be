/**
 * `npm run rehearse [configuration...]`: the deploy path, end to end, against moto_server on
 * loopback, with no AWS account (docs/DEPLOY.md, "Rehearsal"). Exits non-zero on any failure.
 *
 * ITEMS_API_REHEARSAL_PROVIDER=registry uses the registry's hashicorp/aws (where the registry
 * is reachable) instead of building the provider from the Go module proxy;
 * ITEMS_API_REHEARSAL_MOTO_LOG=1 shows moto_server's request log.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configurations } from "./configurations.ts";
import { startEmulator } from "./moto.ts";
import { builtProviderMirror } from "./provider.ts";
import { type Outcome, rehearseOne } from "./rehearse-one.ts";
import { hasCommand } from "./run.ts";

/** Terraform's CLI configuration for the rehearsal only: no checkpoint, the built provider. */
function cliConfig(mirror: string | undefined): string {
  const lines = ["disable_checkpoint = true"];
  if (mirror) {
    lines.push(
      "provider_installation {",
      "  filesystem_mirror {",
      `    path    = ${JSON.stringify(mirror)}`,
      '    include = ["registry.terraform.io/hashicorp/aws"]',
      "  }",
      "}",
    );
  }
  return `${lines.join("\n")}\n`;
}

function missingTools(buildProvider: boolean): string[] {
  const tools: [string, string, boolean][] = [
    ["terraform", "-version", true],
    ["python3", "--version", true],
    ["go", "version", buildProvider],
  ];
  const missing: string[] = [];
  for (const [tool, arg, needed] of tools) {
    if (needed && !hasCommand(tool, arg)) missing.push(tool);
  }
  return missing;
}

function selected(names: readonly string[]) {
  const unknown = names.filter((n) => !configurations.some((c) => c.name === n));
  if (unknown.length > 0) {
    throw new Error(
      `unknown configuration ${unknown.join(", ")}; known: ${configurations.map((c) => c.name).join(", ")}`,
    );
  }
  return names.length === 0 ? configurations : configurations.filter((c) => names.includes(c.name));
}

function lineOf(o: Outcome): string {
  const verdict = o.problems.length === 0 ? "ok" : "FAILED";
  return `rehearse: ${o.name}: ${o.resources} resources applied; re-plan: ${o.replan}; ${o.seconds} s; ${verdict}`;
}

async function main(): Promise<number> {
  const chosen = selected(process.argv.slice(2));
  const buildProvider = process.env.ITEMS_API_REHEARSAL_PROVIDER !== "registry";
  const missing = missingTools(buildProvider);
  if (missing.length > 0) {
    console.error(
      `rehearse: needs ${missing.join(", ")} on the PATH (Terraform >= 1.10, Python 3 with venv, Go to build the provider)`,
    );
    return 1;
  }
  const workDir = mkdtempSync(join(tmpdir(), "items-api-rehearsal-"));
  const cliConfigFile = join(workDir, "terraform.rc");
  writeFileSync(cliConfigFile, cliConfig(buildProvider ? await builtProviderMirror() : undefined));
  const emulator = await startEmulator();
  // Interrupted: the emulator and the work folder go too.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      void emulator.stop().finally(() => {
        rmSync(workDir, { recursive: true, force: true });
        process.exit(130);
      });
    });
  }
  const outcomes: Outcome[] = [];
  try {
    for (const configuration of chosen) {
      console.log(`rehearse: === ${configuration.name} (moto_server at ${emulator.endpoint})`);
      const extraEnv = { TF_CLI_CONFIG_FILE: cliConfigFile };
      outcomes.push(
        await rehearseOne(configuration, { endpoint: emulator.endpoint, workDir, extraEnv }),
      );
    }
  } finally {
    await emulator.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
  for (const o of outcomes) for (const p of o.problems) console.error(`rehearse: ${o.name}: ${p}`);
  for (const o of outcomes) console.log(lineOf(o));
  return outcomes.every((o) => o.problems.length === 0) ? 0 : 1;
}

process.exitCode = await main();
