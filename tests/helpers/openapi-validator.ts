/**
 * The OpenAPI document's schemas compiled with ajv (JSON Schema 2020-12, the dialect of
 * OpenAPI 3.1), so tests can ask the document what it accepts.
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { openApiDocument } from "../../common/openapi.ts";

const ajv = new Ajv2020({ strict: true, allErrors: true });
// ajv-formats is CommonJS; under NodeNext its default export is the module object.
(addFormats as unknown as { default: (instance: Ajv2020) => void }).default(ajv);
// The document is registered as one schema so its `#/components/...` references resolve.
ajv.addKeyword("components");
ajv.addSchema({ $id: "openapi.json", components: openApiDocument.components });

/** A validator for `schema`, whose references may point into `openapi.json#/components/...`. */
export function documentValidator(schema: object): ValidateFunction {
  return ajv.compile(schema);
}

/** A validator for the component schema `name`. */
export function componentValidator(name: keyof typeof openApiDocument.components.schemas) {
  return ajv.compile({ $ref: `openapi.json#/components/schemas/${name}` });
}
