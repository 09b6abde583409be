// Stands in for @aws-sdk/credential-provider-node: the default credential chain (SSO, INI,
// process, web identity, ECS, IMDS, login). Our clients are given their credentials.
const notBundled = () => {
  throw new Error("The default credential chain is not bundled: pass credentials.");
};
export const defaultProvider = () => notBundled;
export const credentialsWillNeedRefresh = () => false;
export const credentialsTreatedAsExpired = () => false;
