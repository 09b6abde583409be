/**
 * Writes the OpenAPI document to stdout exactly as `npm start` serves it at /openapi.json:
 * `npx tsx scripts/openapi.ts [--jwt-issuer URL] > openapi.json`. Without the option, the issuer
 * is the one the local server would use (ITEMS_API_JWT_ISSUER), if any.
 */
import { parseArgs } from "node:util";
import { openApiDocumentFor } from "../common/openapi.ts";
import { jwtIssuerSetting } from "./local/docs-pages.ts";

const { values } = parseArgs({ options: { "jwt-issuer": { type: "string" } } });
const jwtIssuer = values["jwt-issuer"] ?? jwtIssuerSetting();
process.stdout.write(`${JSON.stringify(openApiDocumentFor({ jwtIssuer }), null, 2)}\n`);
