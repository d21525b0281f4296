/**
 * Validates requests and responses against official OpenAPI 3.0 specifications kept in `../shared/specs` beside the
 * repository (Linode's, PayPal's). Only the operations a caller names are compiled; each spec file is read once per
 * process. OpenAPI 3.0 bits JSON Schema does not know are translated first: `nullable`, `readOnly` (dropped from
 * request schemas) / `writeOnly` (dropped from response schemas), `allOf` branches that close themselves with
 * `additionalProperties: false` (merged into one object), `example`/`x-*` keys; each spec adds its own formats.
 */
import $RefParser from '@apidevtools/json-schema-ref-parser';
import Ajv, { ErrorObject, Format, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/**
 * `../shared/specs/<relativePath>` from the repository's root, as CI clones it (never a machine path). A checkout
 * nested deeper (a git worktree in a folder beside the main one) finds it in the nearest parent that has it; when
 * none has, the documented place is named, so the error says where it belongs.
 */
export function locateSharedSpec(relativePath: string): string {
  const wanted = join('shared', 'specs', relativePath);
  for (let folder = resolve(REPO_ROOT, '..'); ; folder = dirname(folder)) {
    const candidate = join(folder, wanted);
    if (existsSync(candidate)) return candidate;
    if (dirname(folder) === folder) return resolve(REPO_ROOT, '..', wanted);
  }
}

export interface ValidatedOperation {
  method: string;
  /** The spec's path template, e.g. /v2/checkout/orders/{id}. */
  template: string;
}

/** One spec file (YAML or JSON) and the operations of it that are validated. */
export interface SpecSource {
  path: string;
  operations: readonly ValidatedOperation[];
  /** components/schemas entries validated on their own (validateSchema), e.g. a webhook event. */
  schemas?: readonly string[];
}

export interface SpecCheck {
  valid: boolean;
  /** Readable problems ("body/label must match pattern ..."); empty when valid. */
  errors: string[];
  /** The spec operation id that matched, e.g. get-linode-instance. */
  operationId?: string;
}

export interface SpecValidator {
  /** `path` may carry a query string (its parameters are checked); `headers` are checked against header parameters. */
  validateRequest(method: string, path: string, body: unknown, headers?: Record<string, string>): SpecCheck;
  validateResponse(method: string, path: string, status: number, body: unknown): SpecCheck;
  /** A value against a named components/schemas entry of one of the sources (as a response: read-only fields kept). */
  validateSchema(name: string, value: unknown): SpecCheck;
}

export interface SpecValidatorOptions {
  /** Formats beyond ajv-formats' (or replacing them), e.g. Linode's zone-less date-time. */
  formats?: Record<string, Format>;
  /** Parses a header parameter's raw value before validation (Linode's X-Filter is JSON). */
  parseHeader?: (name: string, raw: string) => { value: unknown } | { error: string };
}

type Schema = Record<string, unknown>;
type Direction = 'request' | 'response';

interface OpenApiParameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema?: Schema;
}

interface OpenApiOperation {
  operationId?: string;
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

const DROPPED_KEYS = new Set([
  'example',
  'examples',
  'description',
  'deprecated',
  'externalDocs',
  'xml',
  'discriminator',
]);

const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** OpenAPI 3.0 schema → JSON Schema for one direction. */
export function translateSchema(input: unknown, direction: Direction): unknown {
  if (Array.isArray(input)) return input.map((item) => translateSchema(item, direction));
  if (!isSchema(input)) return input;
  let schema: Schema = {};
  for (const [key, value] of Object.entries(input)) {
    if (DROPPED_KEYS.has(key) || key.startsWith('x-') || key === 'readOnly' || key === 'writeOnly') continue;
    if (key === 'properties' && isSchema(value)) {
      const properties: Schema = {};
      for (const [name, property] of Object.entries(value)) {
        // Read-only fields are never sent; write-only fields never come back.
        if (isSchema(property) && direction === 'request' && property.readOnly === true) continue;
        if (isSchema(property) && direction === 'response' && property.writeOnly === true) continue;
        properties[name] = translateSchema(property, direction);
      }
      schema.properties = properties;
      continue;
    }
    schema[key] =
      key === 'enum' || key === 'required' || key === 'const' ? value : translateSchema(value, direction);
  }
  if (Array.isArray(schema.required) && isSchema(schema.properties)) {
    const known = schema.properties;
    const dropped = Object.keys(isSchema(input.properties) ? input.properties : {}).filter(
      (name) => !(name in known),
    );
    schema.required = (schema.required as string[]).filter((name) => !dropped.includes(name));
  }
  if (Array.isArray(schema.allOf)) schema = mergeObjectAllOf(schema);
  if (schema.nullable === true) {
    delete schema.nullable;
    if (typeof schema.type === 'string') {
      schema.type = [schema.type, 'null'];
      if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
    } else {
      schema = { anyOf: [schema, { type: 'null' }] };
    }
  } else delete schema.nullable;
  return schema;
}

/**
 * `allOf: [{properties: A, additionalProperties: false}, {properties: B}]` means "an object with A and B" in the
 * spec, but JSON Schema would reject B's fields in the first branch. Plain object branches are merged.
 */
function mergeObjectAllOf(schema: Schema): Schema {
  const branches = schema.allOf as unknown[];
  const objectLike = branches.every(
    (branch) =>
      isSchema(branch) &&
      (branch.type === 'object' || isSchema(branch.properties)) &&
      !('allOf' in branch) &&
      !('anyOf' in branch) &&
      !('oneOf' in branch),
  );
  if (!objectLike) return schema;
  const { allOf: _allOf, ...rest } = schema;
  const merged: Schema = {
    ...rest,
    type: 'object',
    properties: { ...(isSchema(rest.properties) ? rest.properties : {}) },
  };
  const required = new Set<string>(Array.isArray(rest.required) ? (rest.required as string[]) : []);
  let closed = rest.additionalProperties === false;
  for (const branch of branches as Schema[]) {
    Object.assign(merged.properties as Schema, branch.properties ?? {});
    for (const name of (branch.required as string[] | undefined) ?? []) required.add(name);
    if (branch.additionalProperties === false) closed = true;
    for (const [key, value] of Object.entries(branch)) {
      if (!['properties', 'required', 'additionalProperties', 'type'].includes(key) && !(key in merged))
        merged[key] = value;
    }
  }
  if (required.size > 0) merged.required = [...required];
  if (closed) merged.additionalProperties = false;
  return merged;
}

function formatErrors(where: string, errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const extra =
      error.keyword === 'additionalProperties'
        ? ` (${(error.params as { additionalProperty: string }).additionalProperty})`
        : error.keyword === 'enum'
          ? ` (${JSON.stringify((error.params as { allowedValues: unknown }).allowedValues)})`
          : '';
    return `${where}${error.instancePath} ${error.message ?? error.keyword}${extra}`;
  });
}

function newAjv(formats: Record<string, Format> = {}): Ajv {
  // Patterns are ECMA-262 without the u flag: PayPal's (e.g. its e-mail pattern) are not valid unicode regexps.
  const ajv = new Ajv({ strict: false, allErrors: true, coerceTypes: false, unicodeRegExp: false });
  addFormats(ajv);
  for (const [name, format] of Object.entries(formats)) ajv.addFormat(name, format);
  return ajv;
}

interface CompiledOperation {
  method: string;
  pattern: RegExp;
  pathParams: string[];
  operation: OpenApiOperation;
  parameters: OpenApiParameter[];
}

interface LoadedSpec {
  operations: CompiledOperation[];
  schemas: Map<string, Schema>;
}

async function loadSource(source: SpecSource): Promise<LoadedSpec> {
  const document = parse(await readFile(source.path, 'utf8'), { maxAliasCount: -1 }) as {
    openapi: string;
    paths: Record<string, Record<string, unknown>>;
    components?: unknown;
  };
  const picked: Record<string, Record<string, unknown>> = {};
  for (const { template } of source.operations) picked[template] = document.paths[template];
  // Named schemas ride along as references, so they are dereferenced with the operations.
  const schemaRefs = Object.fromEntries(
    (source.schemas ?? []).map((name) => [name, { $ref: `#/components/schemas/${name}` }]),
  );
  const needsComponents = JSON.stringify([picked, schemaRefs]).includes('"$ref"');
  const mini = {
    openapi: document.openapi,
    paths: picked,
    'x-schemas': schemaRefs,
    ...(needsComponents ? { components: document.components } : {}),
  };
  const dereferenced = (await $RefParser.dereference(mini as never)) as unknown as typeof mini;
  const operations = source.operations.map(({ method, template }) => {
    const pathItem = dereferenced.paths[template];
    const operation = pathItem?.[method.toLowerCase()] as OpenApiOperation | undefined;
    if (!operation) throw new Error(`${source.path} has no ${method} ${template}`);
    const pathParams: string[] = [];
    const pattern = template
      .split('/')
      .map((segment) => {
        const param = /^\{(.+)\}$/.exec(segment);
        if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        pathParams.push(param[1]);
        return '([^/]+)';
      })
      .join('/');
    const parameters = [
      ...((pathItem.parameters as OpenApiParameter[]) ?? []),
      ...(operation.parameters ?? []),
    ];
    return { method, pattern: new RegExp(`^${pattern}/?$`), pathParams, operation, parameters };
  });
  const schemas = new Map<string, Schema>();
  for (const [name, schema] of Object.entries(dereferenced['x-schemas'])) {
    if (!isSchema(schema) || '$ref' in schema) throw new Error(`${source.path} has no schema ${name}`);
    schemas.set(name, schema);
  }
  return { operations, schemas };
}

const loaded = new Map<string, Promise<LoadedSpec>>();

/** Reads and compiles each source once per process (per jest test file). */
export async function loadSpecValidator(
  sources: readonly SpecSource[],
  options: SpecValidatorOptions = {},
): Promise<SpecValidator> {
  const specs = await Promise.all(
    sources.map((source) => {
      const key = JSON.stringify(source);
      let loading = loaded.get(key);
      if (!loading) {
        loading = loadSource(source);
        loaded.set(key, loading);
        // A failed read is not remembered: the next caller tries again.
        loading.catch(() => loaded.delete(key));
      }
      return loading;
    }),
  );
  const operations = specs.flatMap((spec) => spec.operations);
  const namedSchemas = new Map(specs.flatMap((spec) => [...spec.schemas]));
  const ajv = newAjv(options.formats);
  const compiled = new Map<string, ValidateFunction>();
  const validatorFor = (key: string, schema: unknown, direction: Direction): ValidateFunction => {
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(translateSchema(schema, direction) as Schema);
      compiled.set(key, validate);
    }
    return validate;
  };
  const find = (method: string, path: string) => {
    const upper = method.toUpperCase();
    for (const candidate of operations) {
      if (candidate.method !== upper) continue;
      const match = candidate.pattern.exec(path);
      if (match) {
        const values: Record<string, string> = {};
        candidate.pathParams.forEach((name, index) => (values[name] = decodeURIComponent(match[index + 1])));
        return { candidate, values };
      }
    }
    return null;
  };
  const checkParameter = (
    candidate: CompiledOperation,
    parameter: OpenApiParameter,
    raw: string | undefined,
    errors: string[],
  ) => {
    const where = `${parameter.in} ${parameter.name}`;
    if (raw === undefined) {
      if (parameter.required) errors.push(`${where} is required`);
      return;
    }
    if (!parameter.schema) return;
    const schema = translateSchema(parameter.schema, 'request') as Schema;
    let value: unknown = raw;
    const parsed = parameter.in === 'header' ? options.parseHeader?.(parameter.name, raw) : undefined;
    if (parsed && 'error' in parsed) {
      errors.push(`${where} ${parsed.error}`);
      return;
    }
    if (parsed) value = parsed.value;
    else if (schema.type === 'integer' || schema.type === 'number') {
      value = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
    }
    const validate = validatorFor(
      `${candidate.method} ${candidate.pattern.source} param ${parameter.in} ${parameter.name}`,
      parameter.schema,
      'request',
    );
    if (!validate(value)) errors.push(...formatErrors(where, validate.errors));
  };

  return {
    validateRequest(method, fullPath, body, headers = {}) {
      const url = new URL(fullPath, 'http://validator');
      const found = find(method, url.pathname);
      if (!found) return { valid: false, errors: [`no validated operation for ${method} ${url.pathname}`] };
      const { candidate, values } = found;
      const errors: string[] = [];
      const lowerHeaders = Object.fromEntries(
        Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]),
      );
      const knownQuery = new Set<string>();
      for (const parameter of candidate.parameters) {
        if (parameter.in === 'path') checkParameter(candidate, parameter, values[parameter.name], errors);
        if (parameter.in === 'query') {
          knownQuery.add(parameter.name);
          checkParameter(candidate, parameter, url.searchParams.get(parameter.name) ?? undefined, errors);
        }
        if (parameter.in === 'header')
          checkParameter(candidate, parameter, lowerHeaders[parameter.name.toLowerCase()], errors);
      }
      for (const name of url.searchParams.keys())
        if (!knownQuery.has(name)) errors.push(`query ${name} is not a parameter of this operation`);
      const requestBody = candidate.operation.requestBody;
      const schema = requestBody?.content?.['application/json']?.schema;
      if (body === undefined) {
        if (requestBody?.required) errors.push('body is required');
      } else if (!schema) {
        errors.push('this operation takes no request body');
      } else {
        const validate = validatorFor(
          `${candidate.method} ${candidate.pattern.source} request`,
          schema,
          'request',
        );
        if (!validate(body)) errors.push(...formatErrors('body', validate.errors));
      }
      return { valid: errors.length === 0, errors, operationId: candidate.operation.operationId };
    },

    validateResponse(method, fullPath, status, body) {
      const url = new URL(fullPath, 'http://validator');
      const found = find(method, url.pathname);
      if (!found) return { valid: false, errors: [`no validated operation for ${method} ${url.pathname}`] };
      const { candidate } = found;
      const responses = candidate.operation.responses ?? {};
      const key = String(status) in responses ? String(status) : 'default';
      const schema = responses[key]?.content?.['application/json']?.schema;
      if (!schema) return { valid: false, errors: [`the spec has no response ${status} for this operation`] };
      const validate = validatorFor(
        `${candidate.method} ${candidate.pattern.source} response ${key}`,
        schema,
        'response',
      );
      const valid = validate(body);
      return {
        valid,
        errors: valid ? [] : formatErrors(`response ${status}`, validate.errors),
        operationId: candidate.operation.operationId,
      };
    },

    validateSchema(name, value) {
      const schema = namedSchemas.get(name);
      if (!schema) return { valid: false, errors: [`no validated schema ${name}`] };
      const validate = validatorFor(`schema ${name}`, schema, 'response');
      const valid = validate(value);
      return { valid, errors: valid ? [] : formatErrors(name, validate.errors) };
    },
  };
}

/** One answer the simulator gave, as far as checking it against the spec needs (SimulatorExchange fits). */
export interface ObservedAnswer {
  operation: string | null;
  method: string;
  path: string;
  status: number;
  responseBody: unknown;
}

/** "METHOD path → problem" for every answer to a validated operation that the spec does not allow. */
export function answersOutsideSpec(spec: SpecValidator, answers: readonly ObservedAnswer[]): string[] {
  return answers
    .filter((answer) => answer.operation !== null)
    .flatMap((answer) =>
      spec
        .validateResponse(answer.method, answer.path, answer.status, answer.responseBody)
        .errors.map((error) => `${answer.method} ${answer.path} → ${error}`),
    );
}
