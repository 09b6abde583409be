/**
 * `npm run -s token`: prints a token of the issuer that `npm start -- --local-auth` runs, for
 * the given subject and scopes, to send as `Authorization: Bearer <token>`.
 *
 *   npm run -s token -- --sub alice --scope items:write --scope items:read
 *   npm run -s token -- --sub bob --expires-in 60 --aud another-audience
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { localAuthFile, signWithFile } from "./local-issuer.ts";

const { values: flags } = parseArgs({
  options: {
    sub: { type: "string", default: "developer" },
    scope: { type: "string", multiple: true, default: [] },
    aud: { type: "string" },
    "expires-in": { type: "string", default: "3600" },
  },
});
const expiresInSeconds = Number(flags["expires-in"]);
if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1) {
  console.error("token: --expires-in takes a whole number of seconds above 0");
  process.exit(2);
}
if (!existsSync(localAuthFile)) {
  console.error(
    `token: no local issuer: start the server with \`npm start -- --local-auth\` first`,
  );
  process.exit(1);
}
const token = await signWithFile(localAuthFile, {
  sub: flags.sub,
  scopes: flags.scope.flatMap((scope) => scope.split(/[\s,]+/)).filter((s) => s !== ""),
  expiresInSeconds,
  ...(flags.aud !== undefined && { audience: flags.aud }),
});
console.log(token);
