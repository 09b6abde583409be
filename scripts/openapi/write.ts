/**
 * Writes the OpenAPI document to stdout as `npm start` serves it at /openapi.json, from the same
 * gateway settings (environment, then cdktf.json's context): `npx tsx scripts/openapi/write.ts
 * > openapi.json`. `--jwt-issuer URL` describes an authorizer of that issuer instead.
 */
import { parseArgs } from "node:util";
import { readLocalGatewaySettings } from "../local/gateway-config.ts";
import { openApiDocumentFor } from "./document.ts";

const { values } = parseArgs({ options: { "jwt-issuer": { type: "string" } } });
const issuer = values["jwt-issuer"];
const jwt = issuer === undefined ? readLocalGatewaySettings(process.env).jwt : { issuer };
process.stdout.write(`${JSON.stringify(openApiDocumentFor({ jwt }), null, 2)}\n`);
