import { randomUUID } from 'node:crypto';
import { createApi } from '../../server/http/api';
import { limitUnits, validationIssues } from '../../server/core/errors';
import type { ApiDeps } from '../../server/http/env';

/*
 * Reading the API's own OpenAPI document for the tests that are generated from it (the
 * authorisation matrix, the fuzz tests): its operations, their parameters and body schemas,
 * a valid-ish sample of a schema, and the one error shape every 4xx must have.
 */

export type JsonSchema = {
	$ref?: string;
	type?: string | string[];
	properties?: Record<string, JsonSchema>;
	required?: string[];
	additionalProperties?: boolean | JsonSchema;
	items?: JsonSchema;
	prefixItems?: JsonSchema[];
	enum?: unknown[];
	const?: unknown;
	default?: unknown;
	format?: string;
	pattern?: string;
	minLength?: number;
	maxLength?: number;
	minimum?: number;
	maximum?: number;
	exclusiveMinimum?: number;
	minItems?: number;
	anyOf?: JsonSchema[];
	oneOf?: JsonSchema[];
	allOf?: JsonSchema[];
	nullable?: boolean;
};

export interface ParameterObject {
	name: string;
	in: 'path' | 'query' | 'header' | 'cookie';
	required?: boolean;
	schema?: JsonSchema;
}

export interface OperationObject {
	parameters?: ParameterObject[];
	requestBody?: { required?: boolean; content: Record<string, { schema?: JsonSchema }> };
	responses: Record<string, unknown>;
	security?: Array<Record<string, string[]>>;
}

export interface OpenApiDocument {
	paths: Record<string, Record<string, OperationObject>>;
	components?: { schemas?: Record<string, JsonSchema> };
}

export interface Operation {
	/** "GET /api/tickets/{id}": how the matrix and the reports name an operation. */
	key: string;
	method: string;
	path: string;
	object: OperationObject;
}

const httpMethods = new Set(['get', 'post', 'put', 'patch', 'delete']);

/**
 * The document as /api/openapi.json serves it, built from the route registry without a server
 * or a database, so that a test file can name one test per operation when it is collected.
 * The tests still fetch the served document and check that it lists the same operations.
 */
export function documentWithoutServer(): OpenApiDocument {
	// Nothing reads the dependencies until a request arrives, and no request is made here.
	const api = createApi({} as ApiDeps);
	return api.getOpenAPI31Document({
		openapi: '3.1.0',
		info: { title: 'probe', version: '0' }
	}) as unknown as OpenApiDocument;
}

export async function fetchDocument(origin: string): Promise<OpenApiDocument> {
	const res = await fetch(`${origin}/api/openapi.json`);
	if (res.status !== 200) throw new Error(`GET /api/openapi.json answered ${res.status}`);
	return (await res.json()) as OpenApiDocument;
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
	return Object.entries(doc.paths).flatMap(([path, item]) =>
		Object.entries(item)
			.filter(([method]) => httpMethods.has(method))
			.map(([method, object]) => ({
				key: `${method.toUpperCase()} ${path}`,
				method: method.toUpperCase(),
				path,
				object
			}))
	);
}

/** The JSON schema of the request body, or undefined when the operation takes none. */
export function bodySchemaOf(operation: Operation): JsonSchema | undefined {
	return operation.object.requestBody?.content['application/json']?.schema;
}

export function parametersOf(operation: Operation, where: ParameterObject['in']): ParameterObject[] {
	return (operation.object.parameters ?? []).filter((p) => p.in === where);
}

/** The path with its {placeholders} filled; a placeholder without a value gets a random UUID. */
export function fillPath(path: string, params: Record<string, string> = {}): string {
	return path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(params[name] ?? randomUUID()));
}

export function withQuery(path: string, query: Record<string, string> = {}): string {
	const search = new URLSearchParams(query).toString();
	return search ? `${path}?${search}` : path;
}

export function resolveSchema(schema: JsonSchema, doc: OpenApiDocument): JsonSchema {
	let current = schema;
	for (let hops = 0; current.$ref && hops < 20; hops++) {
		const name = current.$ref.replace('#/components/schemas/', '');
		const target = doc.components?.schemas?.[name];
		if (!target) throw new Error(`unresolved $ref ${current.$ref}`);
		current = target;
	}
	return current;
}

const formatSamples: Record<string, () => string> = {
	uuid: () => randomUUID(),
	'date-time': () => '2026-03-02T09:15:00Z',
	date: () => '2026-03-02',
	email: () => 'probe@example.com',
	uri: () => 'https://example.com/',
	url: () => 'https://example.com/'
};

/**
 * A value the schema most likely accepts: defaults, the first enum value, formats, lengths and
 * the required properties of objects. Refinements the document cannot express (patterns,
 * cross-field rules) may still fail: the fuzz tests mutate this "valid-ish" value anyway.
 */
export function sampleOf(schema: JsonSchema, doc: OpenApiDocument, depth = 0): unknown {
	const s = resolveSchema(schema, doc);
	if (depth > 8) return null;
	if (s.default !== undefined) return s.default;
	if (s.const !== undefined) return s.const;
	if (s.enum?.length) return s.enum[0];
	const options = s.anyOf ?? s.oneOf;
	if (options?.length) {
		const notNull = options.find((o) => resolveSchema(o, doc).type !== 'null') ?? options[0];
		return sampleOf(notNull, doc, depth + 1);
	}
	if (s.allOf?.length) return sampleOf(s.allOf[0], doc, depth + 1);
	const type = Array.isArray(s.type) ? (s.type.find((t) => t !== 'null') ?? s.type[0]) : s.type;
	switch (type) {
		case 'object': {
			const out: Record<string, unknown> = {};
			for (const name of s.required ?? []) {
				const property = s.properties?.[name];
				out[name] = property ? sampleOf(property, doc, depth + 1) : null;
			}
			return out;
		}
		case 'array':
			return Array.from({ length: s.minItems ?? 0 }, () =>
				s.items ? sampleOf(s.items, doc, depth + 1) : null
			);
		case 'string': {
			if (s.format && formatSamples[s.format]) return formatSamples[s.format]();
			const length = Math.max(s.minLength ?? 0, Math.min(s.maxLength ?? 8, 8));
			return 'x'.repeat(length);
		}
		case 'integer':
		case 'number':
			return Math.max(s.minimum ?? 1, s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
		case 'boolean':
			return true;
		case 'null':
			return null;
		default:
			return null;
	}
}

export interface SchemaField {
	path: string[];
	schema: JsonSchema;
}

/** Every property the schema declares, with its schema (objects within objects, array items as index 0). */
export function schemaFields(
	schema: JsonSchema,
	doc: OpenApiDocument,
	prefix: string[] = [],
	depth = 0
): SchemaField[] {
	if (depth > 6) return [];
	const s = resolveSchema(schema, doc);
	const variants = [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])];
	const fields = variants.flatMap((v) => schemaFields(v, doc, prefix, depth + 1));
	for (const [name, property] of Object.entries(s.properties ?? {})) {
		fields.push({ path: [...prefix, name], schema: property });
		fields.push(...schemaFields(property, doc, [...prefix, name], depth + 1));
	}
	if (s.items) {
		fields.push({ path: [...prefix, '0'], schema: s.items });
		fields.push(...schemaFields(s.items, doc, [...prefix, '0'], depth + 1));
	}
	return fields;
}

export type FieldKind = 'string' | 'date' | 'number' | 'boolean' | 'array' | 'object' | 'unknown';

/** What kind of value a field holds, seen through nullability and unions. */
export function fieldKind(schema: JsonSchema, doc: OpenApiDocument): FieldKind {
	const s = resolveSchema(schema, doc);
	const variants = [...(s.anyOf ?? []), ...(s.oneOf ?? [])].filter(
		(v) => resolveSchema(v, doc).type !== 'null'
	);
	if (variants.length) return fieldKind(variants[0], doc);
	const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
	if (type === 'string')
		return s.format === 'date-time' || s.format === 'date' || /\\d\{4\}-/.test(s.pattern ?? '')
			? 'date'
			: 'string';
	if (type === 'integer' || type === 'number') return 'number';
	if (type === 'boolean' || type === 'array' || type === 'object') return type;
	if (s.enum?.every((e) => typeof e === 'string')) return 'string';
	return 'unknown';
}

/** The error codes the document's `Error` schema lists: a 4xx with any other code is a finding. */
export function documentedErrorCodes(doc: OpenApiDocument): Set<string> {
	const error = doc.components?.schemas?.Error?.properties?.error;
	const codes = error?.properties?.code?.enum;
	if (!codes?.length) throw new Error('the OpenAPI document has no Error schema with an enum of codes');
	return new Set(codes.map(String));
}

/**
 * Null when the body is exactly `{error: {code, message, field?}}` with a known code;
 * otherwise what is wrong with it.
 */
export function errorShapeProblem(body: unknown, codes: Set<string>): string | null {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'not a JSON object';
	const keys = Object.keys(body);
	if (keys.length !== 1 || keys[0] !== 'error') return `keys ${JSON.stringify(keys)} instead of ["error"]`;
	const error = (body as { error: unknown }).error;
	if (typeof error !== 'object' || error === null) return 'error is not an object';
	const { code, message, field, issue, limit, unit, ...rest } = error as Record<string, unknown>;
	if (typeof code !== 'string' || !codes.has(code)) return `undocumented code ${JSON.stringify(code)}`;
	if (typeof message !== 'string' || message.length === 0) return 'message is not a non-empty string';
	if (field !== undefined && typeof field !== 'string') return 'field is not a string';
	if (issue !== undefined && !(validationIssues as readonly unknown[]).includes(issue))
		return `undocumented issue ${JSON.stringify(issue)}`;
	if (limit !== undefined && !Number.isFinite(limit)) return 'limit is not a number';
	if (unit !== undefined && !(limitUnits as readonly unknown[]).includes(unit))
		return `undocumented unit ${JSON.stringify(unit)}`;
	if (Object.keys(rest).length) return `extra keys ${JSON.stringify(Object.keys(rest))}`;
	return null;
}

/** The body of a response as JSON, or the text when it is not JSON. */
export async function readBody(res: Response): Promise<{ json?: unknown; text: string }> {
	const text = await res.text();
	try {
		return { json: JSON.parse(text), text };
	} catch {
		return { text };
	}
}
