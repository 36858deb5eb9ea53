import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { eq } from 'drizzle-orm';
import { nextEvent, startTestServer, type TestClient, type TestServer } from '../support/test-server';
import { calls, phoneNumbers, sessions, tickets } from '../../db/schema';
import { normalizePhone } from '../../server/callers/phone';
import { createDesk, dbOf, openTicket, type Desk } from './tickets-fixtures';

/** Issue 19's findings on the request edge, each refused with a 4xx in the usual shape. */

const ctiToken = randomBytes(24).toString('hex');
let server: TestServer;
let admin: TestClient;
let agent: TestClient;
let otherAgent: TestClient;
let dispatcher: TestClient;
let technician: TestClient;
let desk: Desk;

beforeAll(async () => {
	server = await startTestServer({ env: { CTI_TOKEN: ctiToken } });
	[admin, agent, otherAgent, dispatcher, technician] = await Promise.all([
		server.userWithRoles(['admin']),
		server.userWithRoles(['agent']),
		server.userWithRoles(['agent']),
		server.userWithRoles(['dispatcher']),
		server.userWithRoles(['technician'])
	]);
	desk = await createDesk(server, { groupA: [agent, otherAgent] });
});
afterAll(() => server?.close());

const errorShape = { error: { code: expect.any(String), message: expect.any(String) } };

function post(path: string, init: { headers?: Record<string, string>; body?: string } = {}) {
	return fetch(`${server.url}${path}`, { method: 'POST', ...init });
}

describe('request bodies are limited before they are parsed', () => {
	it('answers 413 to an anonymous login declaring a 64 MB body, without reading it', async () => {
		// Only the headers and a first chunk are sent: the answer must come before the rest.
		const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
			const req = request(`${server.url}/api/auth/login`, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'content-length': String(64 * 1024 * 1024),
					origin: server.origin
				}
			});
			req.on('response', (res) => {
				let body = '';
				res.on('data', (chunk) => (body += chunk));
				res.on('end', () => resolve({ status: res.statusCode!, body }));
			});
			req.on('error', reject);
			req.write('{"username":"' + 'a'.repeat(1024));
		});
		expect(answer.status).toBe(413);
		expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'payload_too_large' } });
	});

	it('answers 413 to a chunked body as soon as it passes the limit', async () => {
		// No Content-Length: only counting can stop it. Its own connection (agent: false), as the
		// server may close it once the answer is out.
		const status = await new Promise<number>((resolve, reject) => {
			const req = request(`${server.url}/api/auth/login`, {
				method: 'POST',
				agent: false,
				headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', origin: server.origin }
			});
			let answered = false;
			req.on('response', (res) => {
				answered = true;
				res.resume();
				resolve(res.statusCode!);
			});
			req.on('error', (error) => (answered ? undefined : reject(error)));
			req.write('{"username":"');
			const chunk = Buffer.alloc(16 * 1024, 'a');
			let sent = 0;
			const more = () => {
				while (!answered && sent < 4 * 1024 * 1024) {
					sent += chunk.length;
					if (!req.write(chunk)) return void req.once('drain', more);
				}
				if (!answered) req.end('"}');
			};
			more();
		});
		expect(status).toBe(413);
	});

	it('refuses a body that is not JSON with 415, and broken JSON with 400', async () => {
		const asText = await admin.fetch('/api/tickets', {
			method: 'POST',
			headers: { 'content-type': 'text/plain' },
			body: '{}'
		});
		expect(asText.status).toBe(415);
		expect(await asText.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
		const broken = await admin.fetch('/api/tickets', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{"title": '
		});
		expect(broken.status).toBe(400);
		expect(await broken.json()).toMatchObject(errorShape);
	});
});

describe('NUL characters and unpaired surrogates are refused with a 400 naming the field', () => {
	it('in the login form', async () => {
		const res = await post('/api/auth/login', {
			headers: { 'content-type': 'application/json', origin: server.origin },
			body: JSON.stringify({ username: 'admin\u0000', password: 'x' })
		});
		expect(res.status).toBe(400);
		expect(await res.json()).toMatchObject({ error: { code: 'bad_request', field: 'username' } });
	});

	it('in a ticket, nested fields and keys included, and nothing is written', async () => {
		const title = `Guasto ${randomUUID()}`;
		const res = await agent.fetch('/api/tickets', {
			method: 'POST',
			json: {
				serviceCenterId: desk.centerId,
				customerId: desk.customerId,
				origin: 'phone',
				priority: 'normal',
				title,
				description: 'pompa \ud800 rotta'
			}
		});
		expect(res.status).toBe(400);
		expect(await res.json()).toMatchObject({ error: { field: 'description' } });
		const written = await dbOf(server).select().from(tickets).where(eq(tickets.title, title));
		expect(written).toEqual([]);
	});

	it('in a query string', async () => {
		const res = await agent.fetch(`/api/search?q=${encodeURIComponent('ros\u0000si')}`);
		expect(res.status).toBe(400);
		expect(await res.json()).toMatchObject({ error: { field: 'q' } });
	});

	it('from the PBX, which would otherwise retry a 5xx for ever', async () => {
		const res = await post('/api/cti/events', {
			headers: { 'content-type': 'application/json', authorization: `Bearer ${ctiToken}` },
			body: JSON.stringify({
				eventId: 'e\u0000',
				callId: 'c1',
				type: 'offered',
				at: '2026-03-02T09:00:00Z',
				direction: 'inbound',
				from: '0212345678',
				to: '100'
			})
		});
		expect(res.status).toBe(400);
		expect(await res.json()).toMatchObject({ error: { field: 'eventId' } });
	});
});

describe('database constraints answer 4xx naming the field', () => {
	const newUser = (extra: Record<string, unknown>) => ({
		username: `u${randomBytes(4).toString('hex')}`,
		displayName: 'Giulia Neri',
		password: 'una-password-lunga',
		roles: ['agent'],
		...extra
	});

	it('an unknown teamId is a 400, a taken sipExtension a 409', async () => {
		const unknownTeam = await admin.fetch('/api/admin/users', {
			method: 'POST',
			json: newUser({ teamId: randomUUID() })
		});
		expect(unknownTeam.status).toBe(400);
		expect(await unknownTeam.json()).toMatchObject({ error: { code: 'bad_request', field: 'teamId' } });

		const extension = String(10_000 + (randomBytes(2).readUInt16BE(0) % 80_000));
		const first = await admin.fetch('/api/admin/users', {
			method: 'POST',
			json: newUser({ sipExtension: extension })
		});
		expect(first.status).toBe(201);
		const taken = await admin.fetch('/api/admin/users', {
			method: 'POST',
			json: newUser({ sipExtension: extension })
		});
		expect(taken.status).toBe(409);
		expect(await taken.json()).toMatchObject({ error: { code: 'conflict', field: 'sipExtension' } });
	});

	it('refuses instants of year 1 or 9999 instead of failing on them', async () => {
		for (const at of ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z']) {
			const res = await post('/api/cti/events', {
				headers: { 'content-type': 'application/json', authorization: `Bearer ${ctiToken}` },
				body: JSON.stringify({
					eventId: randomUUID(),
					callId: randomUUID(),
					type: 'offered',
					at,
					direction: 'inbound',
					from: '0212345678',
					to: '100'
				})
			});
			expect(res.status).toBe(400);
			expect(await res.json()).toMatchObject({ error: { field: 'at' } });
		}
	});

	it('a user has each role at most once, and the OpenAPI pattern has no regex flags', async () => {
		const res = await admin.fetch('/api/admin/users', {
			method: 'POST',
			json: newUser({ roles: Array.from({ length: 10_000 }, () => 'agent') })
		});
		expect(res.status).toBe(400);
		expect(await res.json()).toMatchObject({ error: { field: 'roles' } });
		const doc = await (await fetch(`${server.url}/api/openapi.json`)).json();
		const patterns = JSON.stringify(doc).match(/"pattern":"[^"]*"/g) ?? [];
		expect(patterns.filter((p) => p.endsWith('/i"'))).toEqual([]);
	});

	it('says the field once in a message', async () => {
		const res = await admin.fetch('/api/admin/users', { method: 'POST', json: newUser({ username: 'x' }) });
		const { error } = await res.json();
		expect(error.field).toBe('username');
		expect(error.message).not.toMatch(/username:.*username:/);
	});
});

describe('cross-site writes are refused', () => {
	it('with a foreign Origin, or with none, even when the session cookie rides along', async () => {
		const foreign = await agent.fetch('/api/auth/logout', {
			method: 'POST',
			headers: { origin: 'https://evil.example' }
		});
		expect(foreign.status).toBe(403);
		expect(await foreign.json()).toMatchObject({ error: { code: 'forbidden' } });

		const none = await fetch(`${server.url}/api/calls/${randomUUID()}/handled`, {
			method: 'POST',
			headers: { cookie: agent.cookie, 'content-type': 'text/plain' }
		});
		expect(none.status).toBe(403);
		// Still signed in: the forged logout did nothing.
		expect((await agent.fetch('/api/me')).status).toBe(200);
	});

	it("accepts the console's own Referer when Origin is missing, and the PBX with its token", async () => {
		const res = await fetch(`${server.url}/api/me/preferences`, {
			method: 'PATCH',
			headers: {
				cookie: agent.cookie,
				referer: `${server.origin}/desk`,
				'content-type': 'application/json'
			},
			body: JSON.stringify({ locale: 'en' })
		});
		expect(res.status).not.toBe(403);
		const pbx = await post('/api/cti/events', {
			headers: { 'content-type': 'application/json', authorization: `Bearer ${ctiToken}` },
			body: '{}'
		});
		expect(pbx.status).toBe(400);
	});
});

describe('technicians search colleagues, not customers', () => {
	it('gets no customer, contact or VAT hit; a dispatcher still does', async () => {
		const db = dbOf(server);
		const raw = `02${String(Date.now()).slice(-8)}`;
		const phone = normalizePhone(raw)!;
		await db
			.insert(phoneNumbers)
			.values({ raw, e164: phone.e164, nsnReversed: phone.nsnReversed, customerId: desk.customerId });
		await server.runtime.callerIndex?.caughtUp();
		for (const q of ['Officine', raw]) {
			const tech = await (await technician.fetch(`/api/search?q=${encodeURIComponent(q)}`)).json();
			expect(tech.hits.filter((h: { kind: string }) => h.kind !== 'technician')).toEqual([]);
			const disp = await (await dispatcher.fetch(`/api/search?q=${encodeURIComponent(q)}`)).json();
			expect(disp.hits.some((h: { customerId: string }) => h.customerId === desk.customerId)).toBe(true);
		}
	});
});

describe('ids in a body are checked like ids in the path', () => {
	async function callOf(agentId: string | null, outcome: 'answered' | 'missed' = 'answered') {
		const [call] = await dbOf(server)
			.insert(calls)
			.values({
				callKey: `test:${randomUUID()}`,
				source: 'pbx',
				externalId: randomUUID(),
				direction: 'inbound',
				fromRaw: '0212345678',
				toRaw: '100',
				state: 'ended',
				outcome,
				agentId,
				offeredAt: new Date()
			})
			.returning();
		return call;
	}

	it("an agent cannot open a ticket on another agent's call; a dispatcher on none; the owner can", async () => {
		const theirs = await callOf(otherAgent.userId);
		const body = {
			serviceCenterId: desk.centerId,
			customerId: desk.customerId,
			origin: 'phone',
			title: 'Dal telefono',
			priority: 'normal',
			callId: theirs.id
		};
		for (const intruder of [agent, dispatcher]) {
			const res = await intruder.fetch('/api/tickets', { method: 'POST', json: body });
			expect(res.status).toBe(403);
		}
		const [untouched] = await dbOf(server).select().from(calls).where(eq(calls.id, theirs.id));
		expect(untouched.ticketIds).toEqual([]);
		const own = await otherAgent.fetch('/api/tickets', { method: 'POST', json: body });
		expect(own.status).toBe(201);
	});

	it("a wrap-up cannot name a reserved centre's ticket", async () => {
		const reserved = await createDesk(server, { access: 'reserved', groupA: [otherAgent] });
		const hidden = await openTicket(otherAgent, reserved);
		const mine = await callOf(agent.userId);
		const res = await agent.fetch(`/api/calls/${mine.id}`, {
			method: 'PATCH',
			json: { version: mine.version, ticketIds: [hidden.id] }
		});
		expect(res.status).toBe(400);
		expect(await res.json()).toMatchObject({ error: { field: 'ticketIds.0' } });
		const visible = await openTicket(agent, desk);
		const ok = await agent.fetch(`/api/calls/${mine.id}`, {
			method: 'PATCH',
			json: { version: mine.version, ticketIds: [visible.id] }
		});
		expect(ok.status).toBe(200);
	});
});

describe('Idempotency-Key on creating requests', () => {
	const ticketBody = (title: string) => ({
		serviceCenterId: desk.centerId,
		customerId: desk.customerId,
		origin: 'phone',
		title,
		priority: 'normal'
	});
	const countTitled = async (title: string) =>
		(await dbOf(server).select({ id: tickets.id }).from(tickets).where(eq(tickets.title, title))).length;

	it('answers a retry with the first answer and creates the ticket once', async () => {
		const title = `Retry ${randomUUID()}`;
		const key = randomUUID();
		const send = () =>
			agent.fetch('/api/tickets', {
				method: 'POST',
				headers: { 'idempotency-key': key },
				json: ticketBody(title)
			});
		const first = await send();
		expect(first.status).toBe(201);
		const created = await first.json();
		const retry = await send();
		expect(retry.status).toBe(201);
		expect(retry.headers.get('idempotent-replayed')).toBe('true');
		expect((await retry.json()).id).toBe(created.id);
		expect(await countTitled(title)).toBe(1);
	});

	it('creates once when two twins arrive at the same moment', async () => {
		const title = `Twins ${randomUUID()}`;
		const key = randomUUID();
		const answers = await Promise.all(
			[1, 2].map(() =>
				agent.fetch('/api/tickets', {
					method: 'POST',
					headers: { 'idempotency-key': key },
					json: ticketBody(title)
				})
			)
		);
		expect(answers.map((a) => a.status)).toEqual([201, 201]);
		const [a, b] = await Promise.all(answers.map((r) => r.json()));
		expect(a.id).toBe(b.id);
		expect(await countTitled(title)).toBe(1);
	});

	it('refuses the same key for another request, and keeps keys per user', async () => {
		const key = randomUUID();
		const first = await agent.fetch('/api/tickets', {
			method: 'POST',
			headers: { 'idempotency-key': key },
			json: ticketBody(`Uno ${randomUUID()}`)
		});
		expect(first.status).toBe(201);
		const other = await agent.fetch('/api/tickets', {
			method: 'POST',
			headers: { 'idempotency-key': key },
			json: ticketBody(`Due ${randomUUID()}`)
		});
		expect(other.status).toBe(409);
		expect(await other.json()).toMatchObject({ error: { field: 'Idempotency-Key' } });
		const colleague = await otherAgent.fetch('/api/tickets', {
			method: 'POST',
			headers: { 'idempotency-key': key },
			json: ticketBody(`Tre ${randomUUID()}`)
		});
		expect(colleague.status).toBe(201);
	});

	it('does not keep a refusal: a corrected retry with the same key goes through', async () => {
		const key = randomUUID();
		const title = `Corretto ${randomUUID()}`;
		const refused = await agent.fetch('/api/tickets', {
			method: 'POST',
			headers: { 'idempotency-key': key },
			json: { ...ticketBody(title), priority: 'asap' }
		});
		expect(refused.status).toBe(400);
		const again = await agent.fetch('/api/tickets', {
			method: 'POST',
			headers: { 'idempotency-key': key },
			json: ticketBody(title)
		});
		// Another body under the same key: refused only if the first had been kept.
		expect(again.status).toBe(201);
	});
});

describe('the caller is known before the input is looked at', () => {
	it('answers 401, not a validation error, to an anonymous request with bad input', async () => {
		expect((await fetch(`${server.url}/api/tickets/not-a-uuid`)).status).toBe(401);
		const res = await post('/api/tickets', {
			headers: { 'content-type': 'application/json', origin: server.origin },
			body: '{"title": 12'
		});
		expect(res.status).toBe(401);
		expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
	});

	it('refuses an action on a version of the ticket nobody has read yet', async () => {
		const ticket = await openTicket(agent, desk);
		const res = await agent.fetch(`/api/tickets/${ticket.id}/actions`, {
			method: 'POST',
			json: { reasonId: desk.reasons.PRESA, version: ticket.version + 998 }
		});
		expect(res.status).toBe(409);
		expect(await res.json()).toMatchObject({ error: { field: 'version' } });
	});
});

describe('socket payloads get the same refusals as HTTP bodies', () => {
	it('answers call:report with NUL or an unpaired surrogate with a bad_request naming the field', async () => {
		const socket = await agent.socket();
		const report = {
			eventId: randomUUID(),
			sipCallId: 'abc@127.0.0.1',
			type: 'ringing',
			at: new Date().toISOString(),
			direction: 'inbound',
			from: '0212345678',
			to: '1001'
		};
		for (const [field, value] of [
			['sipCallId', 'abc\u0000'],
			['callerName', 'Rossi \udc00']
		]) {
			const ack = await socket.emitWithAck('call:report', { ...report, [field]: value } as never);
			expect(ack).toMatchObject({ ok: false, error: { code: 'bad_request', field } });
		}
		expect(socket.connected).toBe(true);
	});
});

describe('an open socket does not outlive its session', () => {
	it('ends at the absolute timeout, with session:ended, like HTTP would', async () => {
		const leaving = await server.userWithRoles(['agent']);
		await dbOf(server)
			.update(sessions)
			.set({ expiresAt: new Date(Date.now() + 1500) })
			.where(eq(sessions.userId, leaving.userId));
		const socket = await leaving.socket();
		const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
		expect(await nextEvent(socket, 'session:ended', 5000)).toEqual({ reason: 'expired' });
		expect(await disconnected).toBe('io server disconnect');
	});
});
