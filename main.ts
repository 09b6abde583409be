/**
 * The cdktf app (cdktf.json runs it): packages every function reproducibly, then synthesizes
 * the stack for the configuration in the environment and cdktf context (see infra/config.ts).
 */
import { App } from "cdktf";
import { readStackConfig } from "./infra/config.ts";
import { createItemsApiStack } from "./infra/items-api-stack.ts";
import { packageAll } from "./scripts/build/package.ts";

const app = new App();
// Read before packaging: a bad setting fails in milliseconds, not after the build.
const config = readStackConfig(process.env, (key) => app.node.tryGetContext(key));
const packages = await packageAll();
createItemsApiStack(
  app,
  "items-api",
  config,
  Object.fromEntries(packages.map((pkg) => [pkg.name, pkg.zipPath])),
);
app.synth();
