/**
 * Synthesizes the stack for a test configuration and gives the Terraform JSON typed helpers:
 * find resources by type, follow a `${type.name.attribute}` reference. Stub zips stand in for
 * the real bundles, so wiring tests neither build the handlers nor wait for them.
 */
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Testing } from "cdktf";
import { routes } from "../../common/routes.ts";
import { defaultStackConfig, type StackConfig } from "../../infra/config.ts";
import { createItemsApiStack, type FunctionZips } from "../../infra/items-api-stack.ts";
import { reproducibleZipOf } from "../../scripts/build/package.ts";

/** A resource body as synthesized (JSON values only). */
// biome-ignore lint/suspicious/noExplicitAny: synthesized Terraform JSON is untyped by nature.
export type Body = Record<string, any>;

/** The parts of the synthesized Terraform JSON the tests read. */
export interface SynthesizedStack {
  readonly resource: Record<string, Record<string, Body>>;
  readonly output: Record<string, Body>;
  readonly terraform: Body;
  readonly provider: Record<string, Body[]>;
}

/** The default config with some settings changed. */
export function configWith(overrides: Partial<StackConfig> = {}): StackConfig {
  return { ...defaultStackConfig, ...overrides };
}

async function writeStubZips(): Promise<FunctionZips> {
  const dir = path.join(os.tmpdir(), `items-api-infra-test-${process.pid}`);
  await mkdir(dir, { recursive: true });
  const zips: Record<string, string> = {};
  for (const route of routes) {
    const content = new TextEncoder().encode(`export const handler = () => "${route.name}";\n`);
    zips[route.name] = path.join(dir, `${route.name}.zip`);
    await writeFile(
      zips[route.name] as string,
      await reproducibleZipOf([{ name: "index.mjs", content }]),
    );
  }
  return zips;
}

const stubZips = writeStubZips();

/** Synthesizes the stack for a config, as `cdktf synth` would write it. */
export async function synthesize(config: StackConfig): Promise<SynthesizedStack> {
  const app = Testing.app();
  const { stack } = createItemsApiStack(app, "items-api", config, await stubZips);
  return JSON.parse(Testing.synth(stack)) as SynthesizedStack;
}

/** Every resource of one type, as [name, body] pairs. */
export function resourcesOf(stack: SynthesizedStack, type: string): [string, Body][] {
  return Object.entries(stack.resource[type] ?? {});
}

/** The DynamoDB table whose name ends with `-items-api-<suffix>`, as [name, body]. */
export function tableOf(stack: SynthesizedStack, suffix: "items" | "idempotency"): [string, Body] {
  const found = resourcesOf(stack, "aws_dynamodb_table").find(([, body]) =>
    String(body.name).endsWith(`-items-api-${suffix}`),
  );
  if (!found) throw new Error(`no ${suffix} table`);
  return found;
}

/** The Terraform reference to an attribute of a resource, e.g. `${aws_x.name.arn}`. */
export function refTo(type: string, name: string, attribute: string): string {
  return `\${${type}.${name}.${attribute}}`;
}

/** The resource a `${type.name.attribute}` reference points at (the whole string must be one). */
export function resolve(stack: SynthesizedStack, reference: string): [string, Body] {
  const match = /^\$\{([a-z0-9_]+)\.([^.}]+)\.[a-z_]+\}$/.exec(reference);
  const body = match && stack.resource[match[1] as string]?.[match[2] as string];
  if (!match || !body) throw new Error(`not a reference to a resource: ${reference}`);
  return [match[2] as string, body];
}
