/**
 * Writes the OpenAPI document to stdout as `npm start` serves it at /openapi.json, from the same
 * gateway settings (environment, then cdktf.json's context): `npx tsx scripts/openapi.ts >
 * openapi.json`. `--jwt-issuer URL` describes an authorizer of that issuer instead.
 */
import { parseArgs } from "node:util";
import { openApiDocumentFor } from "../common/openapi.ts";
import { readLocalGatewaySettings } from "./local/gateway-config.ts";

const { values } = parseArgs({ options: { "jwt-issuer": { type: "string" } } });
const issuer = values["jwt-issuer"];
const jwt = issuer === undefined ? readLocalGatewaySettings(process.env).jwt : { issuer };
process.stdout.write(`${JSON.stringify(openApiDocumentFor({ jwt }), null, 2)}\n`);
