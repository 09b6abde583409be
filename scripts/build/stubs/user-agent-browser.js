// Stands in for @aws-sdk/core's browser user-agent parser (bowser, imported on demand): the Node
// client never calls it, but its dynamic import would put a chunk beside every function.
export const createUserAgentStringParsingProvider = () => {
  throw new Error("The browser user agent is not bundled.");
};
