import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Socket } from 'socket.io-client';
import { z, type ZodType } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	agentStateInput,
	callReportInput,
	watchEntityInput,
	type ClientToServerEvents,
	type ServerToClientEvents
} from '../../server/realtime/contract';
import { connectSocket, startTestServer, type TestClient, type TestServer } from '../support/test-server';
import {
	bodySchemaOf,
	documentWithoutServer,
	documentedErrorCodes,
	errorShapeProblem,
	fetchDocument,
	fillPath,
	operationsOf,
	parametersOf,
	readBody,
	sampleOf,
	fieldKind,
	schemaFields,
	type FieldKind,
	type JsonSchema,
	type OpenApiDocument,
	type Operation
} from '../support/openapi-probe';
import { buildFixtures, matrix, type Fixtures, type ProbeRequest } from './authz-matrix';

/*
 * Malformed input for every operation of the OpenAPI document and every client-to-server
 * Socket.IO event: wrong types, NUL and lone surrogates, 1 MB strings, deep nesting,
 * __proto__ keys, invalid JSON, wrong content types, extreme numbers and dates. Nothing may
 * answer 5xx, every 4xx is `{error:{code, message, field?}}`, and the server keeps answering.
 *
 * Each operation starts from a valid request (the authorisation matrix's, or a sample of the
 * body schema) and mutates it: a fixed set of whole-body cases, then field mutations drawn
 * by fast-check with a fixed seed. FUZZ_SEED and FUZZ_RUNS change them for a longer hunt.
 */

const seed = Number(process.env.FUZZ_SEED ?? 20_260_302);
const bodyRuns = Number(process.env.FUZZ_RUNS ?? 30);
const paramRuns = Math.ceil(bodyRuns / 2);
const megabyte = 'x'.repeat(1024 * 1024);

const document = documentWithoutServer();
const operations = operationsOf(document);
/** Each request these accept hashes a password (scrypt, ~100 ms of CPU): fewer draws. */
const runsOf: Record<string, number> = {
	'POST /api/auth/login': Math.ceil(bodyRuns / 3),
	'POST /api/admin/users': Math.ceil(bodyRuns / 3),
	'PATCH /api/admin/users/{id}': Math.ceil(bodyRuns / 2)
};
const errorCodes = documentedErrorCodes(document);

let server: TestServer;
let f: Fixtures;
/** Every role at once: every route and every branch behind a permission is reachable. */
let fuzzer: TestClient;
let doc: OpenApiDocument;
const findings: string[] = [];

beforeAll(async () => {
	const ctiToken = randomBytes(24).toString('hex');
	server = await startTestServer({ env: { CTI_TOKEN: ctiToken, LOG_LEVEL: 'error' } });
	f = await buildFixtures(server, ctiToken);
	fuzzer = await server.userWithRoles(['agent', 'dispatcher', 'supervisor', 'admin', 'technician']);
	doc = await fetchDocument(server.origin);
});
afterAll(async () => {
	if (findings.length) console.info(`fuzz findings (${findings.length}):\n${findings.join('\n')}`);
	await server?.close();
});

// ---------------------------------------------------------------------------------------------
// Nasty values

/** A JSON token written as is: numbers JSON.stringify cannot produce (1e999 parses to Infinity). */
class Raw {
	constructor(readonly text: string) {}
}

const nastyStrings = [
	'',
	' ',
	'\u0000',
	'a\u0000b',
	'\ud800',
	'x\udfffy',
	'\ud83d',
	'😀\u202e\u200b',
	'ﬃ\u0301',
	"' or 1=1 --",
	'%_\\',
	'<script>alert(1)</script>',
	'../../etc/passwd',
	'x'.repeat(10_000),
	'NaN',
	'Infinity',
	'-Infinity',
	'1e309',
	'0x10',
	' 1 ',
	'-0',
	'00000000-0000-0000-0000-000000000000',
	'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
	'0001-01-01T00:00:00Z',
	'9999-12-31T23:59:59Z',
	'9999-12-31T23:59:59-14:00',
	'2026-02-30T10:00:00Z',
	'2026-02-30',
	'0001-01-01',
	'9999-12-31',
	'0000-00-00',
	'2026-13-01T00:00:00Z',
	'2026-03-02T24:00:01Z',
	'+275760-09-13T00:00:00Z',
	'-000001-01-01T00:00:00Z',
	'garbage',
	'true',
	'null'
];

const nastyNumbers = [
	0,
	-0,
	-1,
	0.5,
	1e308,
	-1e308,
	5e-324,
	2_147_483_648,
	-2_147_483_649,
	2 ** 53 + 2,
	1e20,
	new Raw('1e999'),
	new Raw('-1e999'),
	new Raw('123456789012345678901234567890'),
	new Raw('1.0000000000000000000000001')
];

const nastyShapes = [null, true, false, [], {}, [null], [[[]]], { a: 1 }, ['\u0000'], Array(10_000).fill(1)];

function nested(depth: number): unknown {
	let value: unknown = 'deep';
	for (let i = 0; i < depth; i++) value = { a: value };
	return value;
}

const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
	{ weight: 4, arbitrary: fc.constantFrom<unknown>(...nastyStrings) },
	{ weight: 3, arbitrary: fc.constantFrom<unknown>(...nastyNumbers) },
	{ weight: 2, arbitrary: fc.constantFrom<unknown>(...nastyShapes) },
	{ weight: 1, arbitrary: fc.constant(nested(200)) },
	{ weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
	{ weight: 1, arbitrary: fc.double() },
	{ weight: 1, arbitrary: fc.integer({ min: -(2 ** 40), max: 2 ** 40 }) },
	{ weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
	{
		weight: 1,
		arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString())
	}
);

/** Nasty query and path values, already percent-encoded (some are not valid UTF-8 on purpose). */
const nastyEncoded = [
	'',
	'%00',
	'a%00b',
	'%ED%A0%80',
	'%FF%FE',
	'%',
	'%E0%A4%A',
	'%F0%9F%98%80',
	'NaN',
	'Infinity',
	'-0',
	'1e308',
	'1e999',
	'-1',
	'0',
	'99999999999999999999',
	'2147483648',
	'0001-01-01T00%3A00%3A00Z',
	'9999-12-31T23%3A59%3A59Z',
	'2026-02-30T10%3A00%3A00Z',
	'garbage',
	'true',
	'%5B%5D',
	'__proto__',
	'constructor',
	'00000000-0000-0000-0000-000000000000',
	'x'.repeat(4000),
	encodeURIComponent("' or 1=1 --"),
	encodeURIComponent('%_\\')
];

// ---------------------------------------------------------------------------------------------
// Building requests

interface Case {
	kind: string;
	method: string;
	url: string;
	headers: Record<string, string>;
	body?: string | Blob;
}

function toJson(value: unknown): string {
	const raws: string[] = [];
	const text = JSON.stringify(value, (_key, v: unknown) => {
		if (v instanceof Raw) {
			raws.push(v.text);
			return `\u0001raw${raws.length - 1}\u0001`;
		}
		return v;
	});
	return (text ?? 'null').replace(/"\\u0001raw(\d+)\\u0001"/g, (_m, i: string) => raws[Number(i)]);
}

function describeValue(value: unknown): string {
	if (value instanceof Raw) return value.text;
	const text = typeof value === 'string' ? JSON.stringify(value) : (toJson(value) ?? String(value));
	return text.length > 60 ? `${text.slice(0, 40)}…(${text.length} chars)` : text;
}

function clone<T>(value: T): T {
	return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** Sets (or deletes) the value at a path, creating the objects on the way. */
function mutateAt(root: unknown, path: string[], change: { value?: unknown; remove?: boolean }): unknown {
	if (path.length === 0) return change.value;
	const top: Record<string, unknown> =
		typeof root === 'object' && root !== null ? (root as Record<string, unknown>) : {};
	let node = top;
	for (const key of path.slice(0, -1)) {
		const next = node[key];
		if (typeof next !== 'object' || next === null) node[key] = /^\d+$/.test(key) ? [] : {};
		node = node[key] as Record<string, unknown>;
	}
	const last = path[path.length - 1];
	if (change.remove) delete node[last];
	// defineProperty: a key named __proto__ stays an own property and JSON.stringify writes it.
	else Object.defineProperty(node, last, { value: change.value, enumerable: true, writable: true });
	return top;
}

function valuePaths(value: unknown, prefix: string[] = [], depth = 0): string[][] {
	if (typeof value !== 'object' || value === null || depth > 5) return [];
	return Object.entries(value).flatMap(([key, v]) => [
		[...prefix, key],
		...valuePaths(v, [...prefix, key], depth + 1)
	]);
}

function valueAt(root: unknown, path: string[]): unknown {
	let node = root;
	for (const key of path) {
		if (typeof node !== 'object' || node === null) return undefined;
		node = (node as Record<string, unknown>)[key];
	}
	return node;
}

/**
 * The values of a field's kind most likely to reach past validation and break something:
 * text PostgreSQL refuses (NUL, lone surrogates) kept as long as the valid value, numbers past
 * int4 and double, dates at the edges of the calendar.
 */
function targeted(kind: FieldKind, current: unknown): unknown[] {
	const text = typeof current === 'string' && current.length > 0 ? current : 'probe';
	const strings = [`${text}\u0000`, `${text.slice(0, 1)}\u0000${text.slice(1)}`, `${text}\ud800`];
	const numbers = [2_147_483_648, -2_147_483_649, 1e308, new Raw('1e999'), 2 ** 53 + 2, -0];
	const dates = [
		'0001-01-01T00:00:00Z',
		'9999-12-31T23:59:59Z',
		'2026-02-30T10:00:00Z',
		'0001-01-01',
		'9999-12-31',
		'2026-02-30'
	];
	switch (kind) {
		case 'string':
			return strings;
		case 'date':
			return [...dates, ...strings];
		case 'number':
			return numbers;
		case 'boolean':
			return ['true', 0];
		case 'array':
			return [['\u0000'], Array(10_000).fill(text)];
		case 'object':
			return [[], 'object'];
		default:
			return typeof current === 'number' ? numbers : strings;
	}
}

function baseRequest(operation: Operation): ProbeRequest {
	const row = matrix[operation.key];
	if (row?.request) return row.request(f);
	const schema = bodySchemaOf(operation);
	return schema ? { body: sampleOf(schema, doc) } : {};
}

function urlOf(operation: Operation, request: ProbeRequest, rawQuery = '', rawParam?: [string, string]) {
	let path = fillPath(operation.path, request.params);
	if (rawParam) {
		const filled = fillPath(operation.path.replace(`{${rawParam[0]}}`, '\u0001'), request.params);
		path = filled.replace(encodeURIComponent('\u0001'), rawParam[1]);
	}
	const query = new URLSearchParams(request.query ?? {}).toString();
	const search = [query, rawQuery].filter(Boolean).join('&');
	return search ? `${path}?${search}` : path;
}

function headersFor(operation: Operation, contentType?: string): Record<string, string> {
	const headers: Record<string, string> = { origin: server.origin };
	if (matrix[operation.key]?.access && 'ctiToken' in matrix[operation.key].access)
		headers.authorization = `Bearer ${f.ctiToken}`;
	else headers.cookie = fuzzer.cookie;
	if (contentType) headers['content-type'] = contentType;
	return headers;
}

const invalidJson = ['{', '{"a":', '[1,]', 'nul', '{"a":1}x', "{'a':1}", '\u0000', '\ufeff{}', '{"a":1,}'];

function bodyCases(operation: Operation, base: ProbeRequest, operationSeed: number): Case[] {
	const url = urlOf(operation, base);
	const json = 'application/json';
	const make = (kind: string, body: string | Blob, contentType: string | undefined = json): Case => ({
		kind,
		method: operation.method,
		url,
		headers: headersFor(operation, contentType),
		body
	});
	const valid = base.body ?? {};
	const firstKey = Object.keys(typeof valid === 'object' && valid ? valid : {})[0] ?? 'x';
	const validText = toJson(valid);
	const depth = 100_000;
	const cases: Case[] = [
		...invalidJson.map((text) => make(`invalid JSON ${JSON.stringify(text)}`, text)),
		make('empty body', ''),
		make(
			'invalid UTF-8 bytes',
			new Blob([Buffer.from('{"a":"'), new Uint8Array([0xff, 0xfe]), Buffer.from('"}')])
		),
		make('valid JSON as text/plain', validText, 'text/plain'),
		make('form-encoded body', 'a=1&b=%00', 'application/x-www-form-urlencoded'),
		make(
			'multipart body',
			'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
			'multipart/form-data; boundary=x'
		),
		make('valid JSON without a content type', validText, undefined),
		make('valid JSON as application/json; charset=utf-16', validText, 'application/json; charset=utf-16'),
		make('valid JSON as application/json-patch+json', validText, 'application/json-patch+json'),
		...[null, true, 0, 'string', [], [valid], 1e308].map((v) => make(`body ${describeValue(v)}`, toJson(v))),
		make('body 1e999', '1e999'),
		make(`1 MB string in ${firstKey}`, toJson(mutateAt(clone(valid), [firstKey], { value: megabyte }))),
		make('1 MB of keys', toJson(Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`k${i}`, i])))),
		make(
			`${depth} nested arrays in ${firstKey}`,
			toJson(
				mutateAt(clone(valid), [firstKey], { value: new Raw(`${'['.repeat(depth)}${']'.repeat(depth)}`) })
			)
		),
		make(`${depth} nested objects as the body`, `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
		make('__proto__ key', toJson(mutateAt(clone(valid), ['__proto__'], { value: { polluted: 'yes' } }))),
		make(
			'constructor.prototype key',
			toJson(mutateAt(clone(valid), ['constructor'], { value: { prototype: { polluted: 'yes' } } }))
		),
		make('valid body with a duplicate key', validText.replace(/^\{/, `{"${firstKey}":"\\u0000",`))
	];
	if (operation.method === 'POST') {
		// A retry key: odd ones, and one key sent with two different bodies at the same time.
		const reused = randomUUID();
		const keyed = (kind: string, key: string, body: string): Case => ({
			...make(kind, body),
			headers: { ...headersFor(operation, json), 'idempotency-key': key }
		});
		cases.push(
			keyed('empty Idempotency-Key', '', validText),
			keyed('5000-character Idempotency-Key', 'k'.repeat(5000), validText),
			keyed('Latin-1 Idempotency-Key', 'clé-ÿ', validText),
			keyed('Idempotency-Key reused, first body', reused, validText),
			keyed('Idempotency-Key reused, another body', reused, toJson({ ...(valid as object), unexpected: 1 }))
		);
	}

	const schema = bodySchemaOf(operation);
	const fields = new Map<string, { path: string[]; kind: FieldKind }>();
	for (const path of valuePaths(valid)) fields.set(path.join('.'), { path, kind: 'unknown' });
	for (const field of schema ? schemaFields(schema, doc) : [])
		fields.set(field.path.join('.'), { path: field.path, kind: fieldKind(field.schema, doc) });

	// Every field once with each value of its kind that has broken a server before.
	for (const { path, kind } of fields.values()) {
		const current = valueAt(valid, path);
		for (const value of targeted(kind, current)) {
			cases.push(
				make(`${path.join('.')} = ${describeValue(value)}`, toJson(mutateAt(clone(valid), path, { value })))
			);
		}
	}

	const unique = [...fields.values()].map((f) => f.path);
	if (unique.length === 0) unique.push(['x']);
	const mutation = fc.record({
		path: fc.constantFrom(...unique),
		value: nastyValue,
		op: fc.constantFrom('set', 'set', 'set', 'set', 'remove', 'wrap in an array', 'extra key')
	});
	for (const m of fc.sample(mutation, { seed: operationSeed, numRuns: runsOf[operation.key] ?? bodyRuns })) {
		const body = clone(valid);
		let mutated: unknown;
		let kind: string;
		if (m.op === 'remove') {
			mutated = mutateAt(body, m.path, { remove: true });
			kind = `remove ${m.path.join('.')}`;
		} else if (m.op === 'wrap in an array') {
			mutated = mutateAt(body, m.path, { value: [m.value] });
			kind = `${m.path.join('.')} = [${describeValue(m.value)}]`;
		} else if (m.op === 'extra key') {
			mutated = mutateAt(body, [...m.path.slice(0, -1), 'unexpected'], { value: m.value });
			kind = `extra key beside ${m.path.join('.')} = ${describeValue(m.value)}`;
		} else {
			mutated = mutateAt(body, m.path, { value: m.value });
			kind = `${m.path.join('.')} = ${describeValue(m.value)}`;
		}
		cases.push(make(kind, toJson(mutated)));
	}
	return cases;
}

function parameterCases(operation: Operation, base: ProbeRequest, operationSeed: number): Case[] {
	const query = parametersOf(operation, 'query').map((p) => p.name);
	const path = parametersOf(operation, 'path').map((p) => p.name);
	const headers = headersFor(operation, base.body === undefined ? undefined : 'application/json');
	const body = base.body === undefined ? undefined : toJson(base.body);
	const make = (kind: string, rawQuery: string, rawParam?: [string, string]): Case => ({
		kind,
		method: operation.method,
		url: urlOf(
			operation,
			rawQuery && query.length ? { ...base, query: withoutKeys(base.query, rawQuery) } : base,
			rawQuery,
			rawParam
		),
		headers,
		body
	});
	const cases: Case[] = [
		make('unknown query parameter with NUL', 'unexpected=%00'),
		make(
			'__proto__ query parameter',
			'__proto__%5Bpolluted%5D=yes&constructor%5Bprototype%5D%5Bpolluted%5D=yes'
		)
	];
	for (const name of query) {
		cases.push(make(`${name} given twice`, `${name}=a&${name}=b`));
		const current = encodeURIComponent(base.query?.[name] ?? 'probe');
		for (const value of [
			`${current}%00`,
			`${current}%ED%A0%80`,
			'2147483648',
			'1e999',
			'0001-01-01T00%3A00%3A00Z',
			'9999-12-31T23%3A59%3A59Z'
		])
			cases.push(make(`?${name}=${value}`, `${name}=${value}`));
	}
	const names = [
		...query.map((name) => ({ where: 'query', name })),
		...path.map((name) => ({ where: 'path', name }))
	];
	if (names.length === 0) return cases;
	const mutation = fc.record({ target: fc.constantFrom(...names), value: fc.constantFrom(...nastyEncoded) });
	for (const m of fc.sample(mutation, { seed: operationSeed + 1, numRuns: paramRuns })) {
		const { where, name } = m.target;
		const shown = m.value.length > 40 ? `${m.value.slice(0, 20)}…(${m.value.length} chars)` : m.value;
		cases.push(
			where === 'query'
				? make(`?${name}=${shown}`, `${name}=${m.value}`)
				: make(`{${name}} = ${shown}`, '', [name, m.value])
		);
	}
	return cases;
}

function withoutKeys(query: Record<string, string> | undefined, rawQuery: string) {
	const names = new Set(rawQuery.split('&').map((pair) => pair.split('=')[0]));
	return Object.fromEntries(Object.entries(query ?? {}).filter(([key]) => !names.has(key)));
}

function hashOf(text: string): number {
	let h = seed;
	for (const ch of text) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
	return h;
}

async function run(operation: Operation, c: Case): Promise<string | null> {
	let res: Response;
	try {
		res = await fetch(`${server.origin}${c.url}`, { method: c.method, headers: c.headers, body: c.body });
	} catch (error) {
		return `${operation.key} [${c.kind}]: no answer (${(error as Error).cause ?? error})`;
	}
	const { json, text } = await readBody(res);
	if (res.status >= 500) return `${operation.key} [${c.kind}]: ${res.status} ${text.slice(0, 200)}`;
	if (res.status >= 400) {
		const problem = errorShapeProblem(json, errorCodes);
		if (problem) return `${operation.key} [${c.kind}]: ${res.status} ${problem}: ${text.slice(0, 120)}`;
	}
	return null;
}

/** A few requests at a time: quicker, and still gentle on a two-core runner. */
async function runAll(operation: Operation, cases: Case[]): Promise<string[]> {
	const problems: string[] = [];
	let next = 0;
	const worker = async () => {
		while (next < cases.length) {
			const problem = await run(operation, cases[next++]);
			if (problem) problems.push(problem);
		}
	};
	await Promise.all([worker(), worker(), worker()]);
	return problems;
}

describe(`HTTP fuzz: ${operations.length} operations, seed ${seed}`, () => {
	it.each(operations.map((o) => [o.key, o] as const))('%s', async (key, operation) => {
		// Logging out would end the fuzzer's session; it takes no input anyway.
		if (matrix[key]?.endsSession) return;
		const base = baseRequest(operation);
		const operationSeed = hashOf(key);
		const cases = [
			...(operation.object.requestBody ? bodyCases(operation, base, operationSeed) : []),
			...parameterCases(operation, base, operationSeed)
		];
		const problems = await runAll(operation, cases);
		findings.push(...problems);
		expect(({} as Record<string, unknown>).polluted, 'Object.prototype was polluted').toBeUndefined();
		const health = await fetch(`${server.origin}/api/health`);
		expect(health.status, 'the server stopped answering').toBe(200);
		expect(problems, `${key}: ${cases.length} malformed requests\n  ${problems.join('\n  ')}`).toEqual([]);
	});
});

// ---------------------------------------------------------------------------------------------
// Socket.IO events

type ConsoleSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type EventName = keyof ClientToServerEvents;

/**
 * Every client-to-server event with its schema and a valid payload. Typed against the contract:
 * an event added to ClientToServerEvents and missing here fails the type check.
 */
const socketEvents: { [E in EventName]: { schema: ZodType; valid: () => unknown } } = {
	'entity:watch': {
		schema: watchEntityInput,
		valid: () => ({ entity: 'customer', id: f.openDesk.customerId })
	},
	'entity:unwatch': {
		schema: watchEntityInput,
		valid: () => ({ entity: 'customer', id: f.openDesk.customerId })
	},
	'call:report': {
		schema: callReportInput,
		valid: () => ({
			eventId: randomUUID(),
			sipCallId: `${randomUUID()}@probe`,
			type: 'offered',
			at: new Date().toISOString(),
			direction: 'inbound',
			from: '+390212345678',
			to: '7101'
		})
	},
	'agent:state': { schema: agentStateInput, valid: () => ({ state: 'break', reason: 'lunch' }) }
};

type Reply = { ok: boolean; data?: unknown; error?: unknown };

function ackProblem(reply: unknown, invalid: boolean): string | null {
	if (typeof reply !== 'object' || reply === null) return `ack ${JSON.stringify(reply)} is not an object`;
	const { ok, error, data, ...rest } = reply as Reply & Record<string, unknown>;
	if (Object.keys(rest).length) return `ack has extra keys ${JSON.stringify(Object.keys(rest))}`;
	if (ok === true) return invalid ? 'invalid input acknowledged ok:true' : null;
	if (ok !== false) return `ack.ok is ${JSON.stringify(ok)}`;
	if (data !== undefined) return 'a refusal carries data';
	const shape = errorShapeProblem({ error }, errorCodes);
	if (shape) return `ack error: ${shape}`;
	if ((error as { code: string }).code === 'internal') return `server error: ${JSON.stringify(error)}`;
	if (invalid && (error as { code: string }).code !== 'bad_request')
		return `invalid input answered ${(error as { code: string }).code}, not bad_request`;
	return null;
}

function emitWithTimeout(
	socket: ConsoleSocket,
	event: EventName,
	args: unknown[],
	ms = 5000
): Promise<unknown> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`no ack to ${event} within ${ms} ms`)), ms);
		(socket.emit as (...a: unknown[]) => void)(event, ...args, (reply: unknown) => {
			clearTimeout(timer);
			resolve(reply);
		});
	});
}

describe('Socket.IO fuzz: every client-to-server event', () => {
	let socket: ConsoleSocket;
	const open = async () => {
		socket = await connectSocket(server.origin, fuzzer.cookie);
		return socket;
	};
	afterAll(() => {
		socket?.disconnect();
	});

	it.each(Object.keys(socketEvents) as EventName[])('%s', async (event) => {
		const { schema, valid } = socketEvents[event];
		if (!socket?.connected) await open();
		const problems: string[] = [];
		// The server answers a valid payload afterwards: it survived whatever came before.
		const alive = async (kind: string) => {
			if (!socket.connected) {
				problems.push(`${event} [${kind}]: the server closed the socket`);
				await open();
			}
			const reply = await emitWithTimeout(socket, event, [valid()]).catch((e: Error) => e.message);
			const problem = ackProblem(reply, false);
			if (problem) problems.push(`${event} [${kind}] then a valid payload: ${problem}`);
		};

		const payloads: Array<[string, unknown]> = [
			['null', null],
			['undefined', undefined],
			['a number', 42],
			['a string', 'agent:state'],
			['an array', [valid()]],
			['an empty object', {}],
			['a Buffer', Buffer.from([0, 1, 2, 0xff])],
			['nested 2000 deep', nested(2000)],
			['__proto__ key', mutateAt(valid(), ['__proto__'], { value: { polluted: 'yes' } })],
			[
				'900 KB string',
				mutateAt(valid(), [Object.keys(valid() as object)[0]], { value: 'x'.repeat(900_000) })
			]
		];
		const jsonSchema = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
		for (const field of schemaFields(jsonSchema, doc)) {
			for (const value of targeted(fieldKind(field.schema, doc), valueAt(valid(), field.path))) {
				const sent = value instanceof Raw ? Number(value.text) : value;
				payloads.push([
					`${field.path.join('.')} = ${describeValue(value)}`,
					mutateAt(valid(), field.path, { value: sent })
				]);
			}
		}
		const paths = [...valuePaths(valid()), ['unexpected']];
		const mutation = fc.record({ path: fc.constantFrom(...paths), value: nastyValue });
		for (const m of fc.sample(mutation, { seed: hashOf(event), numRuns: bodyRuns })) {
			// Raw JSON tokens have no meaning on a socket: send the number they stand for.
			const value = m.value instanceof Raw ? Number(m.value.text) : m.value;
			payloads.push([
				`${m.path.join('.')} = ${describeValue(m.value)}`,
				mutateAt(valid(), m.path, { value })
			]);
		}

		for (const [kind, payload] of payloads) {
			const invalid = !schema.safeParse(payload).success;
			const reply = await emitWithTimeout(socket, event, [payload]).catch((e: Error) => e.message);
			const problem = ackProblem(reply, invalid);
			if (problem) problems.push(`${event} [${kind}]: ${problem}`);
			if (!socket.connected) await alive(kind);
		}

		// No acknowledgement, extra arguments, the acknowledgement first: no answer is due, but the
		// server must live on.
		socket.emit(event as 'agent:state', { state: 'nope' } as never, undefined as never);
		(socket.emit as (...a: unknown[]) => void)(event);
		(socket.emit as (...a: unknown[]) => void)(event, valid(), 'extra', 42, () => undefined);
		(socket.emit as (...a: unknown[]) => void)(event, () => undefined, valid());
		await alive('no ack, extra arguments, ack first');

		// Over Socket.IO's 1 MB message limit the server may drop the connection, and must go on.
		(socket.emit as (...a: unknown[]) => void)(event, { x: 'x'.repeat(1_100_000) }, () => undefined);
		await new Promise((r) => setTimeout(r, 200));
		if (!socket.connected) await open();
		await alive('1.1 MB payload');

		findings.push(...problems);
		expect(({} as Record<string, unknown>).polluted, 'Object.prototype was polluted').toBeUndefined();
		const health = await fetch(`${server.origin}/api/health`);
		expect(health.status, 'the server stopped answering').toBe(200);
		expect(problems, `${event}: ${payloads.length} malformed payloads\n  ${problems.join('\n  ')}`).toEqual(
			[]
		);
	});
});
