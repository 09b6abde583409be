// Stands in for @aws-sdk/middleware-endpoint-discovery: our clients set
// `endpointDiscoveryEnabled: false`, and none of our operations requires discovery.
const notBundled = () => {
  throw new Error("Endpoint discovery is not bundled.");
};
const passThrough = { applyToStack() {} };
export const NODE_ENDPOINT_DISCOVERY_CONFIG_OPTIONS = {
  environmentVariableSelector: () => false,
  configFileSelector: () => false,
  default: false,
};
export const resolveEndpointDiscoveryConfig = (input) => {
  if (input.endpointDiscoveryEnabled) notBundled();
  return input;
};
export const getEndpointDiscoveryPlugin = () => passThrough;
export const getEndpointDiscoveryRequiredPlugin = notBundled;
export const getEndpointDiscoveryOptionalPlugin = () => passThrough;
export const endpointDiscoveryMiddlewareOptions = {
  name: "endpointDiscoveryMiddleware",
  step: "build",
  tags: ["ENDPOINT_DISCOVERY"],
  override: true,
};
