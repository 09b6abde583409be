/**
 * The deploy as the GitHub workflows run it (.github/workflows/deploy.yml): synth, then in the
 * stack folder `terraform init`, `validate`, `plan` to a file and `apply` of exactly that plan.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { run } from "./run.ts";

export const stackName = "items-api";

/** One resource of `terraform show -json`'s state or plan. */
export interface ShownResource {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly values: Record<string, unknown>;
}

/** One planned change of `terraform show -json <plan>`. */
export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly before: Record<string, unknown> | null;
    readonly after: Record<string, unknown> | null;
  };
}

export class Stack {
  readonly dir: string;

  constructor(
    readonly outdir: string,
    readonly env: NodeJS.ProcessEnv,
  ) {
    this.dir = join(outdir, "stacks", stackName);
  }

  private terraform(args: readonly string[], okCodes?: readonly number[], capture = false) {
    return run("terraform", args, { cwd: this.dir, env: this.env, okCodes, capture });
  }

  /** `npm run synth`'s app (cdktf.json), writing into this stack's outdir. */
  async synth(): Promise<void> {
    mkdirSync(this.outdir, { recursive: true });
    await run("npx", ["tsx", "main.ts"], { env: { ...this.env, CDKTF_OUTDIR: this.outdir } });
  }

  /** init, validate, plan to a file, apply of that plan. */
  async deploy(): Promise<void> {
    await this.terraform(["init", "-input=false", "-no-color"]);
    await this.terraform(["validate", "-no-color"]);
    await this.terraform(["plan", "-input=false", "-no-color", "-out=tfplan"]);
    await this.terraform(["apply", "-input=false", "-no-color", "tfplan"]);
  }

  /** The managed resources in the state. */
  async resources(): Promise<ShownResource[]> {
    const { stdout } = await this.terraform(["show", "-json", "-no-color"], undefined, true);
    const shown = JSON.parse(stdout) as {
      values?: { root_module?: { resources?: ShownResource[] } };
    };
    return (shown.values?.root_module?.resources ?? []).filter((r) => r.mode === "managed");
  }

  /** Plans again; the changes it would make (none when the plan is empty). */
  async replan(): Promise<ResourceChange[]> {
    const args = ["plan", "-input=false", "-no-color", "-detailed-exitcode", "-out=replan"];
    const { code } = await this.terraform(args, [0, 2]);
    if (code === 0) return [];
    const { stdout } = await this.terraform(
      ["show", "-json", "-no-color", "replan"],
      undefined,
      true,
    );
    const plan = JSON.parse(stdout) as { resource_changes?: ResourceChange[] };
    return (plan.resource_changes ?? []).filter(
      (c) => !c.change.actions.every((a) => a === "no-op"),
    );
  }

  async output(name: string): Promise<string> {
    return (await this.terraform(["output", "-raw", "-no-color", name], undefined, true)).stdout;
  }

  /** `npm run destroy`'s terraform command, without the question. */
  async destroy(): Promise<void> {
    await this.terraform(["destroy", "-input=false", "-no-color", "-auto-approve"]);
  }
}
