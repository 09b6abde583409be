/**
 * An esbuild plugin that swaps parts of the AWS SDK that provably never run in our functions on
 * Lambda for small Lambda-only versions, so the bundles neither ship nor parse them. Each swap
 * names its proof; docs/PERFORMANCE.md measures what each one buys. The source (tests, tsx)
 * still uses the SDK untouched, and common/dynamodb.ts sets explicitly every option that makes a
 * swapped path dead, so source and bundle behave the same.
 */
import { createRequire } from "node:module";
import path from "node:path";
import type { Plugin } from "esbuild";

interface Swap {
  /** The SDK file replaced (its resolved path ends with this). */
  readonly file: RegExp;
  /** Why the original never runs in our functions on Lambda. */
  readonly proof: string;
  readonly contents: () => string;
}

const sdkVersion = (
  createRequire(import.meta.url)("@aws-sdk/client-dynamodb/package.json") as { version: string }
).version;

const swaps: readonly Swap[] = [
  {
    file: /@aws-sdk[\\/]credential-provider-node[\\/]dist-es[\\/]index\.js$/,
    proof:
      "createDocumentClient passes `credentials` (Lambda's environment variables), so the SDK " +
      "never calls the default chain (SSO, INI, process, web identity, ECS, IMDS, login).",
    contents: () =>
      "const notBundled = () => { throw new Error('The default credential chain is not bundled: pass credentials.'); };\n" +
      "export const defaultProvider = () => notBundled;\n" +
      "export const credentialsWillNeedRefresh = () => false;\n" +
      "export const credentialsTreatedAsExpired = () => false;\n",
  },
  {
    file: /@smithy[\\/]core[\\/]dist-es[\\/]submodules[\\/]event-streams[\\/]index\.js$/,
    proof: "DynamoDB has no event-stream operation: the protocol imports this only for one.",
    contents: () =>
      "const notBundled = () => { throw new Error('Event streams are not bundled.'); };\n" +
      "export class EventStreamSerde { constructor() { notBundled(); } }\n" +
      "export const eventStreamSerdeProvider = notBundled;\n",
  },
  {
    file: /@aws-sdk[\\/]middleware-endpoint-discovery[\\/]dist-es[\\/]index\.js$/,
    proof:
      "createDocumentClient sets `endpointDiscoveryEnabled: false` and no operation we call " +
      "requires discovery, so the middleware only ever passed requests through.",
    contents: () =>
      "export const NODE_ENDPOINT_DISCOVERY_CONFIG_OPTIONS = { environmentVariableSelector: () => false, configFileSelector: () => false, default: false };\n" +
      "export const resolveEndpointDiscoveryConfig = (input) => { if (input.endpointDiscoveryEnabled) throw new Error('Endpoint discovery is not bundled.'); return input; };\n" +
      "const passThrough = { applyToStack() {} };\n" +
      "export const getEndpointDiscoveryPlugin = () => passThrough;\n" +
      "export const getEndpointDiscoveryRequiredPlugin = () => { throw new Error('Endpoint discovery is not bundled.'); };\n" +
      "export const getEndpointDiscoveryOptionalPlugin = () => passThrough;\n" +
      "export const endpointDiscoveryMiddlewareOptions = { name: 'endpointDiscoveryMiddleware', step: 'build', tags: ['ENDPOINT_DISCOVERY'], override: true };\n",
  },
  {
    file: /[\\/]submodules[\\/]config[\\/]node-config-provider[\\/]configLoader\.js$/,
    proof:
      "Lambda has no shared config files (~/.aws/config, ~/.aws/credentials): every setting " +
      "comes from an environment variable or its default, which this keeps, in that order.",
    contents: () =>
      'import { chain } from "../property-provider/chain";\n' +
      'import { memoize } from "../property-provider/memoize";\n' +
      'import { fromEnv } from "./fromEnv";\n' +
      'import { fromStatic } from "./fromStatic";\n' +
      "export const loadConfig = ({ environmentVariableSelector, default: defaultValue }, configuration = {}) =>\n" +
      "  memoize(chain(fromEnv(environmentVariableSelector, { signingName: configuration.signingName, logger: configuration.logger }), fromStatic(defaultValue)));\n",
  },
  {
    file: /[\\/]submodules[\\/]config[\\/]config-resolver[\\/]regionConfig[\\/]getInstanceMetadataRegion\.js$/,
    proof: "Lambda always sets AWS_REGION, so the region never falls back to EC2's IMDS.",
    contents: () => "export const getInstanceMetadataRegion = async () => undefined;\n",
  },
  {
    file: /[\\/]submodules[\\/]checksum[\\/]sha256[\\/]Sha256Js\.js$/,
    proof: "Node's crypto always has SHA-256: the pure-JavaScript fallback is for other runtimes.",
    contents: () =>
      "export class Sha256Js { constructor() { throw new Error('The JavaScript SHA-256 is not bundled.'); } }\n",
  },
  {
    file: /[\\/]submodules[\\/]retry[\\/]util-retry[\\/]AdaptiveRetryStrategy\.js$/,
    proof:
      'createDocumentClient sets `retryMode: "standard"`: the adaptive strategy is never built.',
    contents: () =>
      "export class AdaptiveRetryStrategy { constructor() { throw new Error('Adaptive retry is not bundled.'); } }\n",
  },
  {
    file: /@aws-sdk[\\/]client-dynamodb[\\/]package\.json$/,
    proof: "The client reads only `version` (for its user agent) from its package.json.",
    contents: () => JSON.stringify({ version: sdkVersion }),
  },
];

/** The swaps, for the docs and the bench. */
export const lambdaOnlySwaps = swaps.map(({ file, proof }) => ({ file: file.source, proof }));

/** Replaces each swapped SDK file, wherever it is imported from, by its Lambda-only version. */
export const lambdaOnlySdk: Plugin = {
  name: "lambda-only-sdk",
  setup(build) {
    for (const swap of swaps) {
      build.onLoad({ filter: swap.file }, (args) => ({
        contents: swap.contents(),
        loader: args.path.endsWith(".json") ? "json" : "js",
        resolveDir: path.dirname(args.path),
      }));
    }
  },
};
