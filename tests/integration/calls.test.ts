import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { nextEvent, startTestServer, type TestClient, type TestServer } from '../support/test-server';
import { customers, phoneNumbers, users } from '../../db/schema';
import { callEvents } from '../../db/schema/calls';
import { normalizePhone } from '../../server/callers/phone';
import type { AgentStateEntry, CallLogEntry } from '../../server/calls/calls.schemas';
import { createDesk, openTicket } from './tickets-fixtures';
import { tickets } from '../../db/schema';

const ctiToken = randomBytes(24).toString('hex');
let server: TestServer;
beforeAll(async () => {
	server = await startTestServer({ env: { CTI_TOKEN: ctiToken, WRAP_UP_MAX_SECONDS: '1' } });
});
afterAll(() => server?.close());

const t0 = Date.parse('2026-03-02T09:00:00Z');
const at = (seconds: number) => new Date(t0 + seconds * 1000).toISOString();

function cti(body: unknown, token = ctiToken) {
	return fetch(`${server.url}/api/cti/events`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
		body: JSON.stringify(body)
	});
}

async function agentWithExtension(teamId?: string): Promise<TestClient & { extension: string }> {
	const agent = await server.userWithRoles(['agent'], { teamId });
	const extension = `7${randomBytes(3).readUIntBE(0, 3) % 100000}`.padEnd(6, '0');
	await server.runtime.database.handle.db
		.update(users)
		.set({ sipExtension: extension })
		.where(eq(users.id, agent.userId));
	return Object.assign(agent, { extension });
}

async function customerWithPhone(raw: string) {
	const db = server.runtime.database.handle.db;
	const tag = randomBytes(3).toString('hex').toUpperCase();
	const [customer] = await db
		.insert(customers)
		.values({ code: `C-${tag}`, companyName: `Chiamante ${tag} S.r.l.` })
		.returning();
	const p = normalizePhone(raw)!;
	await db
		.insert(phoneNumbers)
		.values({ raw, e164: p.e164, nsnReversed: p.nsnReversed, customerId: customer.id });
	// As after an import: caller ID has heard of these numbers before the next request.
	await server.runtime.callerIndex?.caughtUp();
	return customer;
}

async function getCall(client: TestClient, id: string): Promise<CallLogEntry> {
	const res = await client.fetch(`/api/calls/${id}`);
	expect(res.status).toBe(200);
	return res.json();
}

describe('PBX event API', () => {
	it('refuses a missing or wrong token before looking at the body', async () => {
		expect((await cti({}, 'wrong-token-wrong-token')).status).toBe(401);
		const anonymous = await fetch(`${server.url}/api/cti/events`, { method: 'POST', body: '{}' });
		expect(anonymous.status).toBe(401);
		const bad = await cti({ eventId: 'x', callId: 'y', type: 'exploded', at: at(0), from: '1', to: '2' });
		expect(bad.status).toBe(400);
		expect((await bad.json()).error.field).toBe('type');
	});

	it('is idempotent by eventId: a retried event changes nothing', async () => {
		const supervisor = await server.userWithRoles(['supervisor']);
		const callId = `ast-${randomUUID()}`;
		const offered = {
			eventId: `${callId}-1`,
			callId,
			type: 'offered',
			at: at(0),
			from: '0212345670',
			to: '800100200'
		};
		const first = await cti(offered);
		expect(first.status).toBe(202);
		const accepted = await first.json();
		expect(accepted.duplicate).toBe(false);
		const again = await (await cti(offered)).json();
		expect(again).toEqual({ callId: accepted.callId, duplicate: true, version: accepted.version });
		const events = await server.runtime.database.handle.db
			.select()
			.from(callEvents)
			.where(eq(callEvents.callId, accepted.callId));
		expect(events).toHaveLength(1);
		expect((await getCall(supervisor, accepted.callId)).version).toBe(accepted.version);
	});

	it('recomputes the call from events ordered by `at`, whatever order they arrive in', async () => {
		const supervisor = await server.userWithRoles(['supervisor']);
		const agent = await agentWithExtension();
		const customer = await customerWithPhone(`02 ${String(Date.now()).slice(-7)}`);
		const [phone] = await server.runtime.database.handle.db
			.select()
			.from(phoneNumbers)
			.where(eq(phoneNumbers.customerId, customer.id));
		const script = (callId: string) =>
			[
				{ type: 'offered', at: at(0) },
				{ type: 'queued', at: at(1), queue: 'assistenza' },
				{ type: 'ringing', at: at(20), agent: agent.extension },
				{ type: 'answered', at: at(25), agent: agent.extension },
				{ type: 'held', at: at(60) },
				{ type: 'resumed', at: at(90) },
				{ type: 'ended', at: at(145) }
			].map((e, i) => ({ eventId: `${callId}-${i}`, callId, from: phone.raw, to: '800100200', ...e }));

		const inOrder = script(`fs-${randomUUID()}`);
		let inOrderId = '';
		for (const event of inOrder) inOrderId = (await (await cti(event)).json()).callId;

		const shuffled = script(`fs-${randomUUID()}`);
		let shuffledId = '';
		for (const i of [6, 3, 0, 5, 1, 4, 2, 6, 3]) {
			const res = await cti(shuffled[i]);
			expect(res.status).toBe(202);
			shuffledId = (await res.json()).callId;
		}

		for (const id of [inOrderId, shuffledId]) {
			const call = await getCall(supervisor, id);
			expect(call).toMatchObject({
				source: 'pbx',
				direction: 'inbound',
				state: 'ended',
				outcome: 'answered',
				queue: 'assistenza',
				offeredAt: at(0),
				answeredAt: at(25),
				endedAt: at(145),
				holdSeconds: 30,
				talkSeconds: 90,
				agent: { id: agent.userId },
				customer: { id: customer.id, companyName: customer.companyName },
				fromE164: phone.e164
			});
		}
		// The customer's landing card lists the calls.
		const card = await (await agent.fetch(`/api/callers/card?customerId=${customer.id}`)).json();
		expect(card.recentCalls.map((c: { id: string }) => c.id).sort()).toEqual([inOrderId, shuffledId].sort());
	});

	it('puts unanswered calls on every agent’s missed list until someone marks them handled', async () => {
		const agent = await server.userWithRoles(['agent']);
		const other = await server.userWithRoles(['agent']);
		const socket = await other.socket();
		const callId = `ast-${randomUUID()}`;
		const pushed = nextEvent(socket, 'call:changed');
		await cti({
			eventId: `${callId}-a`,
			callId,
			type: 'queued',
			at: at(0),
			from: '+390611122233',
			to: '800100200',
			queue: 'vendite'
		});
		await pushed.catch(() => undefined);
		const missedPush = nextEvent(socket, 'call:changed');
		const { callId: id } = await (
			await cti({
				eventId: `${callId}-b`,
				callId,
				type: 'abandoned',
				at: at(40),
				from: '+390611122233',
				to: '800100200'
			})
		).json();
		expect((await missedPush).data).toMatchObject({ id, outcome: 'abandoned' });

		const missed = await (await agent.fetch('/api/calls?view=missed')).json();
		expect(missed.items.map((c: CallLogEntry) => c.id)).toContain(id);
		const handled = await agent.fetch(`/api/calls/${id}/handled`, { method: 'POST' });
		expect(handled.status).toBe(200);
		expect((await handled.json()).handledBy).toBe(agent.username);
		const after = await (await other.fetch('/api/calls?view=missed')).json();
		expect(after.items.map((c: CallLogEntry) => c.id)).not.toContain(id);
		// Agents do not read everyone's log.
		expect((await agent.fetch('/api/calls?view=all')).status).toBe(403);
	});
});

describe('tickets opened from a call', () => {
	it('lists the ticket on the call, and refuses an unknown call without creating the ticket', async () => {
		const agent = await server.userWithRoles(['agent']);
		const desk = await createDesk(server, { groupA: [agent] });
		const callId = `ast-${randomUUID()}`;
		const { callId: id } = await (
			await cti({
				eventId: `${callId}-a`,
				callId,
				type: 'offered',
				at: at(0),
				from: '0611122299',
				to: '800100200'
			})
		).json();

		const ticket = await openTicket(agent, desk, { callId: id });
		expect(ticket.callId).toBe(id);
		const supervisor = await server.userWithRoles(['supervisor']);
		expect((await getCall(supervisor, id)).ticketIds).toEqual([ticket.id]);

		const before = await server.runtime.database.handle.db
			.select({ id: tickets.id })
			.from(tickets)
			.where(eq(tickets.customerId, desk.customerId));
		const unknown = await agent.fetch('/api/tickets', {
			method: 'POST',
			json: {
				serviceCenterId: desk.centerId,
				customerId: desk.customerId,
				origin: 'phone',
				title: 'Da una chiamata che non esiste',
				priority: 'normal',
				callId: randomUUID()
			}
		});
		expect(unknown.status).toBe(400);
		expect((await unknown.json()).error).toMatchObject({ field: 'callId' });
		const after = await server.runtime.database.handle.db
			.select({ id: tickets.id })
			.from(tickets)
			.where(eq(tickets.customerId, desk.customerId));
		expect(after).toHaveLength(before.length);
	});
});

describe('browser call reports and agent states', () => {
	it('follows an agent through ringing, on call and wrap-up, pushed live to supervisors', async () => {
		const supervisor = await server.userWithRoles(['supervisor']);
		const agent = await agentWithExtension(await server.team({ managerId: supervisor.userId }));
		const strangerSupervisor = await server.userWithRoles(['supervisor']);
		const agentSocket = await agent.socket();
		const supervisorSocket = await supervisor.socket();
		const states: string[] = [];
		supervisorSocket.on('agent:state', (entry: AgentStateEntry) => {
			if (entry.userId === agent.userId) states.push(entry.state);
		});

		const available = await agentSocket.emitWithAck('agent:state', { state: 'available' });
		expect(available).toMatchObject({ ok: true, data: { state: 'available', userId: agent.userId } });

		const sipCallId = `${randomUUID()}@sipjs`;
		const report = (type: string, seconds: number) =>
			agentSocket.emitWithAck('call:report', {
				eventId: randomUUID(),
				sipCallId,
				type: type as 'ringing',
				at: new Date(Date.now() + seconds * 1000).toISOString(),
				direction: 'inbound',
				from: '+390299887766',
				to: agent.extension,
				callerName: 'Mario Rossi'
			});
		const ringing = await report('ringing', 0);
		expect(ringing.ok).toBe(true);
		expect((await report('answered', 2)).ok).toBe(true);
		const busy = await agentSocket.emitWithAck('agent:state', { state: 'break', reason: 'coffee' });
		expect(busy).toMatchObject({ ok: false, error: { code: 'conflict' } });
		const ended = await report('ended', 12);
		expect(ended.ok).toBe(true);
		const callLogId = ended.ok ? ended.data!.callId : '';

		const mine = await (await agent.fetch('/api/calls?view=mine')).json();
		expect(mine.items[0]).toMatchObject({
			id: callLogId,
			source: 'browser',
			outcome: 'answered',
			talkSeconds: 10,
			callerName: 'Mario Rossi',
			agent: { id: agent.userId }
		});
		const me = await (await agent.fetch('/api/agent-states/me')).json();
		expect(me).toMatchObject({ state: 'wrap_up', callId: callLogId });

		const wrapUp = await agent.fetch(`/api/calls/${callLogId}`, {
			method: 'PATCH',
			json: { version: mine.items[0].version, disposition: 'resolved', wrapUpNote: 'Reset del quadro' }
		});
		expect(wrapUp.status).toBe(200);
		expect(await wrapUp.json()).toMatchObject({ disposition: 'resolved', wrapUpNote: 'Reset del quadro' });
		const stale = await agent.fetch(`/api/calls/${callLogId}`, {
			method: 'PATCH',
			json: { version: 1, disposition: 'other' }
		});
		expect(stale.status).toBe(409);

		await expect
			.poll(() => states, { timeout: 5000 })
			.toEqual(['available', 'ringing', 'on_call', 'wrap_up', 'available']);
		const board = await (await supervisor.fetch('/api/agent-states')).json();
		expect(board.items.find((a: AgentStateEntry) => a.userId === agent.userId)).toMatchObject({
			state: 'available'
		});
		expect((await agent.fetch('/api/agent-states')).status).toBe(403);
		// A supervisor who manages no team of this agent does not see them on the board.
		const strangersBoard = await (await strangerSupervisor.fetch('/api/agent-states')).json();
		expect(strangersBoard.items.find((a: AgentStateEntry) => a.userId === agent.userId)).toBeUndefined();
	});

	it('ends wrap-up by itself after the configured maximum, and goes offline when the last socket closes', async () => {
		const agent = await agentWithExtension();
		const socket = await agent.socket();
		await socket.emitWithAck('agent:state', { state: 'available' });
		const sipCallId = `${randomUUID()}@sipjs`;
		for (const [type, s] of [
			['ringing', 0],
			['answered', 1],
			['ended', 3]
		] as const) {
			await socket.emitWithAck('call:report', {
				eventId: randomUUID(),
				sipCallId,
				type,
				at: new Date(Date.now() + s * 1000).toISOString(),
				direction: 'inbound',
				from: '0299887755',
				to: agent.extension
			});
		}
		expect((await (await agent.fetch('/api/agent-states/me')).json()).state).toBe('wrap_up');
		await expect
			.poll(async () => (await (await agent.fetch('/api/agent-states/me')).json()).state, {
				timeout: 10_000,
				interval: 500
			})
			.toBe('available');
		socket.disconnect();
		await expect
			.poll(async () => (await (await agent.fetch('/api/agent-states/me')).json()).state, {
				timeout: 5000,
				interval: 200
			})
			.toBe('offline');
	});

	it('validates reports and refuses them from a role without a phone', async () => {
		const agent = await server.userWithRoles(['agent']);
		const socket = await agent.socket();
		const bad = await socket.emitWithAck('call:report', { eventId: 'nope' } as never);
		expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request', field: 'eventId' } });
		const dispatcher = await server.userWithRoles(['dispatcher']);
		const dispatcherSocket = await dispatcher.socket();
		const refused = await dispatcherSocket.emitWithAck('agent:state', { state: 'available' });
		expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
	});
});
