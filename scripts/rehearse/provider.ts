/**
 * The AWS provider for the rehearsal, where the Terraform registry is out of reach: built from
 * the Go module proxy (the upbound fork, which keeps upstream's module path; this pseudo-version
 * is upstream 6.34.0), trimmed to the services the stack uses (trim-provider.ts), with the
 * CloudWatch client pinned to a wire protocol moto 5.2.5 parses. It is served to Terraform
 * from a filesystem mirror under the version the stack requires, and cached by these versions.
 */
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { cacheDir } from "./cache.ts";
import { run } from "./run.ts";

const forkModule = "github.com/upbound/terraform-provider-aws";
const forkVersion = "v0.0.0-20260305123303-f7691456b787";
/** The module's h1 hash, checked here because the checksum database does not know the fork. */
const forkSum = "h1:dJlp2eNgY/iVKTPINdguYlHbHc9CtXBZKmQmqYq0REs=";
/** From v1.53.0 the client speaks a protocol moto 5.2.5 cannot parse (PutMetricAlarm fails). */
const cloudwatchPin = "github.com/aws/aws-sdk-go-v2/service/cloudwatch@v1.52.6";
const trimScript = new URL("trim-provider.ts", import.meta.url).pathname;

/** The hashicorp/aws version the stack requires (what @cdktf/provider-aws was generated from). */
export function requiredProviderVersion(): string {
  const require = createRequire(import.meta.url);
  const pkg = require("@cdktf/provider-aws/package.json") as {
    cdktf: { provider: { version: string } };
  };
  return pkg.cdktf.provider.version;
}

/** Where the built provider's mirror lives: one folder per combination of versions. */
function mirrorDirOf(version: string, goVersion: string): string {
  const trim = createHash("sha256").update(readFileSync(trimScript)).digest("hex").slice(0, 12);
  const key = `${version}-${forkVersion}-cloudwatch-v1.52.6-${goVersion}-trim-${trim}`;
  return join(cacheDir(), "terraform-provider-aws", key);
}

function goEnv(work: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOMODCACHE: join(work, "mod"),
    GOCACHE: join(work, "build-cache"),
    GOFLAGS: "-mod=mod",
    GONOSUMDB: forkModule,
    GOTOOLCHAIN: "local",
    CGO_ENABLED: "0",
  };
}

/** Downloads the fork and checks its hash; returns the module's (read-only) folder. */
async function downloadFork(env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await run("go", ["mod", "download", "-json", `${forkModule}@${forkVersion}`], {
    env,
    capture: true,
  });
  const info = JSON.parse(stdout) as { Dir: string; Sum: string };
  if (info.Sum !== forkSum) {
    throw new Error(`${forkModule}@${forkVersion} has hash ${info.Sum}, expected ${forkSum}`);
  }
  return info.Dir;
}

/** Builds the trimmed provider binary into `binary`. */
async function build(version: string, binary: string, work: string): Promise<void> {
  const env = goEnv(work);
  const src = join(work, "src");
  cpSync(await downloadFork(env), src, { recursive: true, mode: 0 });
  await run("chmod", ["-R", "u+w", src]);
  await run(process.execPath, ["--import=tsx", trimScript, src]);
  await run("go", ["get", cloudwatchPin], { cwd: src, env });
  const ldflags = `-s -w -X github.com/hashicorp/terraform-provider-aws/version.ProviderVersion=${version}`;
  await run("go", ["build", "-trimpath", `-ldflags=${ldflags}`, "-o", binary, "."], {
    cwd: src,
    env,
  });
}

/** The mirror folder holding the provider, built on the first call for these versions. */
export async function builtProviderMirror(): Promise<string> {
  const version = requiredProviderVersion();
  const goVersion = (await run("go", ["env", "GOVERSION"], { capture: true })).stdout.trim();
  const mirror = mirrorDirOf(version, goVersion);
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  const relative = `registry.terraform.io/hashicorp/aws/${version}/${process.platform}_${arch}`;
  const binaryName = `terraform-provider-aws_v${version}_x5`;
  if (existsSync(join(mirror, relative, binaryName))) return mirror;

  console.log(`rehearse: building the AWS provider (${forkVersion}, trimmed) into ${mirror}`);
  mkdirSync(cacheDir(), { recursive: true });
  const started = performance.now();
  const work = await mkdtemp(join(cacheDir(), "provider-build-"));
  try {
    const staged = join(work, "mirror");
    mkdirSync(join(staged, relative), { recursive: true });
    await build(version, join(staged, relative, binaryName), work);
    rmSync(mirror, { recursive: true, force: true });
    mkdirSync(join(mirror, ".."), { recursive: true });
    renameSync(staged, mirror);
    console.log(
      `rehearse: provider built in ${Math.round((performance.now() - started) / 1000)} s`,
    );
  } finally {
    // The module and build caches are ~2.5 GiB; only the binary is kept.
    await run("chmod", ["-R", "u+w", work]);
    rmSync(work, { recursive: true, force: true });
  }
  return mirror;
}
