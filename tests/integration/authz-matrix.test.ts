import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestClient, type TestServer } from '../support/test-server';
import {
	documentWithoutServer,
	documentedErrorCodes,
	errorShapeProblem,
	fetchDocument,
	fillPath,
	operationsOf,
	readBody,
	withQuery,
	type Operation
} from '../support/openapi-probe';
import {
	buildFixtures,
	expectedAnswer,
	matrix,
	objectProbes,
	principals,
	type ActorName,
	type Expected,
	type Fixtures,
	type Principal,
	type ProbeRequest
} from './authz-matrix';

/*
 * Every operation of the OpenAPI document × every principal, against the answer the permission
 * table implies (see authz-matrix.ts), plus object-level probes. One test per operation, named
 * from the document when the file is collected.
 */

const document = documentWithoutServer();
const operations = operationsOf(document);
const errorCodes = documentedErrorCodes(document);
const matrixFile = 'tests/integration/authz-matrix.ts';

let server: TestServer;
let f: Fixtures;

beforeAll(async () => {
	const ctiToken = randomBytes(24).toString('hex');
	server = await startTestServer({
		env: { CTI_TOKEN: ctiToken, SIP_WS_URL: 'wss://pbx.example.test/ws', SIP_DOMAIN: 'pbx.example.test' }
	});
	f = await buildFixtures(server, ctiToken);
});
afterAll(() => server?.close());

async function send(
	operation: Pick<Operation, 'method' | 'path'>,
	as: ActorName | TestClient,
	request: ProbeRequest
): Promise<{ status: number; body: unknown; text: string }> {
	const url = withQuery(fillPath(operation.path, request.params), request.query);
	const headers = new Headers({ origin: server.origin });
	let body: string | undefined;
	if (request.body !== undefined) {
		headers.set('content-type', 'application/json');
		body = JSON.stringify(request.body);
	}
	const init = { method: operation.method, headers, body };
	let res: Response;
	if (typeof as === 'object') res = await as.fetch(url, init);
	else if (as === 'anonymous') res = await fetch(`${server.origin}${url}`, init);
	else if (as === 'pbx') {
		headers.set('authorization', `Bearer ${f.ctiToken}`);
		res = await fetch(`${server.origin}${url}`, init);
	} else res = await f.clients[as].fetch(url, init);
	const { json, text } = await readBody(res);
	return { status: res.status, body: json, text };
}

/** Another session of a principal's user: signing in again, as a browser would. */
async function secondSession(principal: Principal): Promise<TestClient> {
	const client = f.clients[principal.name as keyof Fixtures['clients']];
	const res = await fetch(`${server.origin}/api/auth/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: server.origin },
		body: JSON.stringify({ username: client.username, password: 'test-password' })
	});
	expect(res.status).toBe(200);
	const cookie = (res.headers.getSetCookie()[0] ?? '').split(';')[0];
	return {
		...client,
		cookie,
		fetch: (path, init = {}) => {
			const headers = new Headers(init.headers);
			headers.set('cookie', cookie);
			return fetch(`${server.origin}${path}`, { ...init, headers });
		}
	};
}

/** Null when the answer is what the cell expects; otherwise what went wrong. */
function verdict(expected: Expected, answer: { status: number; body: unknown; text: string }): string | null {
	const { status } = answer;
	const ok = expected === 'allowed' ? status !== 401 && status !== 403 && status < 500 : status === expected;
	const shape = status >= 400 ? errorShapeProblem(answer.body, errorCodes) : null;
	if (ok && !shape) return null;
	const detail = shape ? `error body: ${shape}` : answer.text.slice(0, 160);
	return `expected ${expected === 'allowed' ? 'allowed (not 401/403/5xx)' : expected}, got ${status} ${detail}`;
}

describe(`authorisation matrix: ${operations.length} operations × ${principals.length} roles`, () => {
	it('lists every operation of the served OpenAPI document, and nothing else', async () => {
		const served = operationsOf(await fetchDocument(server.origin)).map((o) => o.key);
		const missing = served.filter((key) => !matrix[key]);
		const stale = Object.keys(matrix).filter((key) => !served.includes(key));
		expect(
			missing,
			`Add these operations to the authorisation matrix in ${matrixFile} (access rule, a valid request, the expected answer)`
		).toEqual([]);
		expect(stale, `These rows of ${matrixFile} name no operation of the API any more: remove them`).toEqual(
			[]
		);
		expect(served.sort()).toEqual(operations.map((o) => o.key).sort());
		console.info(
			`authorisation matrix: ${served.length} operations × ${principals.length} roles (${principals
				.map((p) => p.name)
				.join(
					', '
				)}) = ${served.length * principals.length} cells, ${objectProbes.length} object-level probes`
		);
	});

	it.each(operations.map((o) => [o.key, o] as const))('%s', async (key, operation) => {
		const row = matrix[key];
		if (!row)
			throw new Error(
				`${key} is not in the authorisation matrix: add a row to ${matrixFile} with its access rule and a valid request`
			);
		const ask = async (principal: Principal) => {
			const request = row.request?.(f) ?? {};
			let as: ActorName | TestClient = principal.name as ActorName;
			// Logging out ends the session: a second one of the same user, so the other cells keep theirs.
			if (row.endsSession && principal.credential === 'session') as = await secondSession(principal);
			const problem = verdict(expectedAnswer(row, principal), await send(operation, as, request));
			return problem ? `${principal.name}: ${problem}` : null;
		};
		// The cells are independent (stale versions, rows of their own): ask them all at once.
		const answers: Array<string | null> = [];
		if (row.serial) for (const principal of principals) answers.push(await ask(principal));
		else answers.push(...(await Promise.all(principals.map(ask))));
		const wrong = answers.filter((a) => a !== null);
		expect(wrong, `${key}\n  ${wrong.join('\n  ')}`).toEqual([]);
	});

	it.each(objectProbes.map((p) => [p.name, p] as const))('object level: %s', async (_name, probe) => {
		const operation = operations.find((o) => o.key === probe.operation);
		expect(operation, `${probe.operation} is not an operation of the API`).toBeDefined();
		const answer = await send(operation!, probe.as, probe.request(f));
		expect(verdict(probe.status, answer), `${probe.as} ${probe.operation}`).toBeNull();
		const leaked = (probe.hides?.(f) ?? []).filter((id) => answer.text.includes(id));
		expect(leaked, `${probe.as} ${probe.operation} mentions what it should hide`).toEqual([]);
	});
});
