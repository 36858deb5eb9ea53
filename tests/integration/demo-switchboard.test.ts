import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import WebSocket from 'ws';
import { Inviter, SessionState, UserAgent, type Invitation } from 'sip.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers, phoneNumbers, users } from '../../db/schema';
import { normalizePhone } from '../../server/callers/phone';
import { loadGreeting } from '../../server/demo/greeting';
import {
	WeriftSessionDescriptionHandler,
	weriftSessionDescriptionHandlerFactory
} from '../../server/demo/werift-sdh';
import { startTestServer, type TestClient, type TestServer } from '../support/test-server';
import { connectSipAgent, type SipAgent } from '../support/sip-agent';

let server: TestServer;
const agents: SipAgent[] = [];

beforeAll(async () => {
	server = await startTestServer();
	// The simulated customers call from a number only their customer has.
	await customerWithNumber('Caseificio Val Taleggio S.r.l.', '0345 47191');
});

afterAll(async () => {
	await Promise.all(agents.map((a) => a.stop()));
	await server?.close();
});

async function customerWithNumber(companyName: string, raw: string) {
	const db = server.runtime.database.handle.db;
	const [customer] = await db
		.insert(customers)
		.values({ code: `C${randomBytes(4).toString('hex')}`, companyName })
		.returning({ id: customers.id });
	const number = normalizePhone(raw, 'IT')!;
	await db.insert(phoneNumbers).values({
		raw,
		e164: number.e164,
		nsnReversed: number.nsnReversed,
		customerId: customer.id
	});
	return { id: customer.id, e164: number.e164 };
}

let nextExtension = 4100 + (randomBytes(1)[0] % 50) * 10;
/** An agent with a fresh extension, signed in, its softphone registered and available. */
async function registeredAgent(options: { available?: boolean } = {}) {
	const client = await server.userWithRoles(['agent']);
	const extension = String(nextExtension++);
	await server.runtime.database.handle.db
		.update(users)
		.set({ sipExtension: extension })
		.where(eq(users.id, client.userId));
	const phone = await connectSipAgent({
		origin: server.origin,
		cookie: client.cookie,
		extension,
		sessionDescriptionHandlerFactory: weriftSessionDescriptionHandlerFactory({ audio: loadGreeting() })
	});
	agents.push(phone);
	await phone.register();
	if (options.available !== false) {
		const socket = await client.socket();
		const reply = await socket.emitWithAck('agent:state', { state: 'available' });
		expect(reply.ok).toBe(true);
	}
	return { client, extension, phone };
}

function upgrade(headers: Record<string, string>, protocol = 'sip'): Promise<number> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(`${server.origin.replace('http', 'ws')}/sip`, protocol, { headers });
		ws.on('open', () => {
			ws.close();
			resolve(101);
		});
		ws.on('unexpected-response', (_req, res) => {
			ws.terminate();
			resolve(res.statusCode ?? 0);
		});
		ws.on('error', reject);
	});
}

function established(invitation: Invitation): Promise<void> {
	return new Promise((resolve, reject) => {
		invitation.stateChange.addListener((state) => {
			if (state === SessionState.Established) resolve();
			if (state === SessionState.Terminated) reject(new Error('call ended before it was answered'));
		});
	});
}

function demoCall(client: TestClient, body: unknown = {}) {
	return client.fetch('/api/demo/calls', { method: 'POST', json: body });
}

describe('the /sip WebSocket', () => {
	it('opens only with a session, from the console origin, speaking sip', async () => {
		const { client } = await registeredAgent({ available: false });
		expect(await upgrade({ origin: server.origin })).toBe(401);
		expect(await upgrade({ origin: 'https://evil.example', cookie: client.cookie })).toBe(403);
		expect(await upgrade({ origin: server.origin, cookie: client.cookie }, 'chat')).toBe(400);
		expect(await upgrade({ origin: server.origin, cookie: client.cookie })).toBe(101);
	});

	it("refuses a REGISTER for someone else's extension", async () => {
		const mine = await registeredAgent({ available: false });
		const other = await registeredAgent({ available: false });
		const impostor = await connectSipAgent({
			origin: server.origin,
			cookie: mine.client.cookie,
			extension: mine.extension,
			as: other.extension
		});
		agents.push(impostor);
		await expect(impostor.register()).rejects.toThrow('REGISTER 403');
	});
});

describe('simulated customer calls', () => {
	// First: agents registered by later tests would be longer idle.
	it('go to the longest idle agent first and on to the next when that one is busy', async () => {
		const first = await registeredAgent();
		const second = await registeredAgent();
		const supervisor = await server.userWithRoles(['supervisor']);
		const res = await demoCall(supervisor);
		expect(res.status).toBe(202);
		const ringing = await first.phone.nextInvite();
		await ringing.reject({ statusCode: 486 });
		const next = await second.phone.nextInvite();
		const up = established(next);
		await next.accept();
		await up;
		await next.bye();
		const status = await (await supervisor.fetch('/api/demo/status')).json();
		expect(status.registered).toEqual(expect.arrayContaining([first.extension, second.extension]));
	});
	it("ring the agent with the customer's number, speak once answered, and end when the agent hangs up", async () => {
		const { client, phone } = await registeredAgent();
		const res = await demoCall(client);
		expect(res.status).toBe(202);
		const started = await res.json();
		const invitation = await phone.nextInvite();
		// The caller ID the landing card looks up: P-Asserted-Identity, as a PBX would assert it.
		expect(invitation.request.getHeader('P-Asserted-Identity')).toContain(started.from);
		expect(invitation.request.getHeader('P-Asserted-Identity')).toContain('Caseificio Val Taleggio');
		const up = established(invitation);
		await invitation.accept();
		await up;
		const media = invitation.sessionDescriptionHandler as WeriftSessionDescriptionHandler;
		await expect.poll(() => media.packetsReceived, { timeout: 5000 }).toBeGreaterThan(10);
		await invitation.bye();
		await expect.poll(() => server.runtime.demoCalls?.liveCalls, { timeout: 5000 }).toBe(0);
	});

	it('answer 409 for an extension that is not registered or not available, 403 for an agent calling another', async () => {
		const idle = await registeredAgent({ available: false });
		const notAvailable = await demoCall(idle.client);
		expect(notAvailable.status).toBe(409);
		expect((await notAvailable.json()).error.field).toBe('to');
		const supervisor = await server.userWithRoles(['supervisor']);
		expect((await demoCall(supervisor, { to: '9999' })).status).toBe(409);
		expect((await demoCall(idle.client, { to: '9999' })).status).toBe(403);
		expect((await demoCall(supervisor, { to: 'x' })).status).toBe(400);
	});

	it("follow a blind transfer: the colleague gets the customer with the customer's caller ID", async () => {
		const first = await registeredAgent();
		const second = await registeredAgent({ available: false });
		const started = await (await demoCall(first.client)).json();
		const invitation = await first.phone.nextInvite();
		const up = established(invitation);
		await invitation.accept();
		await up;
		const accepted = new Promise<boolean>((resolve) => {
			void invitation.refer(UserAgent.makeURI(`sip:${second.extension}@demo.invalid`)!, {
				requestDelegate: { onAccept: () => resolve(true), onReject: () => resolve(false) }
			});
		});
		expect(await accepted).toBe(true);
		const transferred = await second.phone.nextInvite();
		expect(transferred.request.getHeader('P-Asserted-Identity')).toContain(started.from);
		expect(transferred.request.getHeader('Referred-By')).toContain(first.extension);
		await invitation.bye();
		const talking = established(transferred);
		await transferred.accept();
		await talking;
		await transferred.bye();
		await expect.poll(() => server.runtime.demoCalls?.liveCalls, { timeout: 5000 }).toBe(0);
	});
});

describe('calls between agents', () => {
	it("carry the caller's own extension: no made-up caller ID, no calling as someone else", async () => {
		const caller = await registeredAgent({ available: false });
		const callee = await registeredAgent({ available: false });
		const target = UserAgent.makeURI(`sip:${callee.extension}@demo.invalid`)!;
		const inviter = new Inviter(caller.phone.ua, target, {
			extraHeaders: ['P-Asserted-Identity: <sip:+390212345678@demo.invalid>']
		});
		void inviter.invite();
		const invitation = await callee.phone.nextInvite();
		expect(invitation.request.getHeader('P-Asserted-Identity')).toBeUndefined();
		expect(invitation.request.from.uri.user).toBe(caller.extension);
		await invitation.reject({ statusCode: 486 });

		// The same session, claiming to be the callee's own extension: refused by the switchboard.
		const forger = await connectSipAgent({
			origin: server.origin,
			cookie: caller.client.cookie,
			extension: caller.extension,
			as: callee.extension,
			sessionDescriptionHandlerFactory: weriftSessionDescriptionHandlerFactory({ audio: loadGreeting() })
		});
		agents.push(forger);
		const refused = new Promise<number>((resolve) => {
			void new Inviter(forger.ua, UserAgent.makeURI(`sip:${caller.extension}@demo.invalid`)!).invite({
				requestDelegate: { onReject: (response) => resolve(response.message.statusCode ?? 0) }
			});
		});
		expect(await refused).toBe(403);
	});
});
