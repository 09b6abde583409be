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

type Json = Record<string, unknown>;
const components = openApiDocument.components as unknown as Record<string, Record<string, Json>>;

function deref(value: Json): Json {
  const ref = value.$ref;
  if (typeof ref !== "string") return value;
  const [, kind = "", name = ""] = ref.split("/").slice(1);
  return components[kind]?.[name] ?? {};
}

/** A schema of the document, compiled; `$ref`s are resolved against the document. */
function validatorOf(schema: Json): ValidateFunction {
  const ref = schema.$ref;
  return typeof ref === "string"
    ? ajv.compile({ $ref: `openapi.json${ref}` })
    : ajv.compile(schema);
}

/** An HTTP answer as a test saw it. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

/**
 * Everything in an answer that the document does not describe for that operation: an undocumented
 * status, a missing required header, a header or body that fails its schema. Empty when it conforms.
 */
export function conformanceProblems(method: string, path: string, answer: Answer): string[] {
  const paths = openApiDocument.paths as unknown as Record<string, Record<string, Json>>;
  const operation = paths[path]?.[method.toLowerCase()];
  const documented = (operation?.responses as Record<string, Json> | undefined)?.[answer.status];
  if (!documented) return [`${method} ${path}: status ${answer.status} is not documented`];
  const response = deref(documented);
  const problems: string[] = [];
  for (const [name, declared] of Object.entries((response.headers as Record<string, Json>) ?? {})) {
    const header = deref(declared);
    const value = answer.headers.get(name);
    if (value === null) {
      if (header.required) problems.push(`header ${name} is missing`);
      continue;
    }
    const check = validatorOf((header.schema as Json) ?? {});
    if (!check(value)) problems.push(`header ${name}: ${JSON.stringify(check.errors)}`);
  }
  const content = response.content as Record<string, { schema: Json }> | undefined;
  const type = answer.headers.get("content-type")?.split(";")[0]?.trim();
  if (!content) {
    if (answer.body !== "") problems.push("a body where the document has none");
    return problems;
  }
  const media = type === undefined ? undefined : content[type];
  if (!media) return [...problems, `content type ${type} is not documented`];
  const check = validatorOf(media.schema);
  if (!check(JSON.parse(answer.body))) problems.push(`body: ${JSON.stringify(check.errors)}`);
  return problems;
}
