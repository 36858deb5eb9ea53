import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { ticketHistory } from '../../db/schema';
import { nextEvent, startTestServer, type TestClient, type TestServer } from '../support/test-server';
import type { TicketChange } from '../../server/realtime/contract';
import { act, actOk, addAssignmentRules, createDesk, dbOf, openTicket, type Desk } from './tickets-fixtures';

let server: TestServer;
let supervisor: TestClient;
let agentA: TestClient;
let agentB: TestClient;
let outsider: TestClient;
let desk: Desk;

beforeAll(async () => {
	server = await startTestServer();
	[supervisor, agentA, agentB, outsider] = await Promise.all([
		server.userWithRoles(['supervisor']),
		server.userWithRoles(['agent']),
		server.userWithRoles(['agent']),
		server.userWithRoles(['agent'])
	]);
	desk = await createDesk(server, { groupA: [agentA, agentB], groupB: [supervisor] });
	// Everything lands in the first-level group's queue, "to take".
	await addAssignmentRules(server, [
		{ serviceCenterId: desk.centerId, name: 'coda', position: 1, target: 'group', targetGroupId: desk.groupA }
	]);
});
afterAll(() => server?.close());

describe('POST /api/tickets', () => {
	it('answers 201 with a per-centre yearly number, the SLA deadlines and the creation in the history', async () => {
		const first = await openTicket(agentA, desk, {
			priority: 'urgent',
			categoryId: desk.categories.electrical,
			machineId: desk.machineId
		});
		const second = await openTicket(agentA, desk);
		const year = new Date().getFullYear();
		expect(first.number).toBe(`${desk.code}-${year}-000001`);
		expect(second.number).toBe(`${desk.code}-${year}-000002`);
		expect(first).toMatchObject({
			status: 'new',
			groupId: desk.groupA,
			ownerId: null,
			version: 1,
			categoryName: 'Elettrico',
			serviceLevel: 'premium',
			slaFirstResponseMinutes: 60,
			slaResolutionMinutes: 480
		});
		expect(first.contract?.serviceLevel).toBe('premium');
		expect(Date.parse(first.slaFirstResponseDueAt!)).toBeGreaterThan(Date.parse(first.openedAt));
		expect(Date.parse(first.slaResolutionDueAt!)).toBeGreaterThan(Date.parse(first.slaFirstResponseDueAt!));
		expect(first.slaNextDueAt).toBe(first.slaFirstResponseDueAt);
		expect(first.slaNextDeadline).toBe('first_response');
		expect(first.history).toHaveLength(1);
		expect(first.history[0]).toMatchObject({
			kind: 'created',
			actor: { id: agentA.userId },
			changes: { status: { from: null, to: 'new' } }
		});
	});

	it('numbers concurrent creations without gaps or repeats', async () => {
		const created = await Promise.all(Array.from({ length: 8 }, () => openTicket(agentA, desk)));
		const serials = created.map((t) => Number(t.number.slice(-6))).sort((a, b) => a - b);
		expect(new Set(serials).size).toBe(8);
		expect(serials[7] - serials[0]).toBe(7);
	});

	it('answers 400 naming the field', async () => {
		const post = (json: unknown) => agentA.fetch('/api/tickets', { method: 'POST', json });
		const base = {
			serviceCenterId: desk.centerId,
			customerId: desk.customerId,
			origin: 'phone',
			title: 'Guasto'
		};
		const cases: Array<[unknown, string]> = [
			[{ ...base, priority: 'altissima' }, 'priority'],
			[{ ...base, title: undefined }, 'title'],
			[{ ...base, origin: 'fax' }, 'origin'],
			[{ ...base, customerId: 'nope' }, 'customerId'],
			[{ ...base, customerId: crypto.randomUUID() }, 'customerId'],
			[{ ...base, categoryId: crypto.randomUUID() }, 'categoryId'],
			[{ ...base, machineId: crypto.randomUUID() }, 'machineId'],
			[{ ...base, colour: 'red' }, '']
		];
		for (const [json, field] of cases) {
			const res = await post(json);
			const body = await res.json();
			expect(res.status, JSON.stringify(body)).toBe(400);
			if (field) expect(body.error.field).toBe(field);
		}
	});

	it('refuses a technician (403) and a stranger (401)', async () => {
		const technician = await server.userWithRoles(['technician']);
		const json = {
			serviceCenterId: desk.centerId,
			customerId: desk.customerId,
			origin: 'phone',
			title: 'Guasto'
		};
		expect((await technician.fetch('/api/tickets', { method: 'POST', json })).status).toBe(403);
		expect((await fetch(`${server.url}/api/tickets`)).status).toBe(401);
	});
});

describe('action reasons', () => {
	it('applies the effects, writes one history row per action with who, what changed and the note', async () => {
		const ticket = await openTicket(agentA, desk);
		const taken = await actOk(agentA, ticket, desk.reasons.PRESA);
		expect(taken).toMatchObject({ status: 'in_progress', ownerId: agentA.userId, version: 2 });
		const replied = await actOk(agentA, taken, desk.reasons.RISPOSTA, { note: 'Richiamo entro sera' });
		expect(replied.slaFirstRespondedAt).not.toBeNull();
		expect(replied.history.map((h) => h.reason?.code ?? h.kind)).toEqual(['created', 'PRESA', 'RISPOSTA']);
		expect(replied.history[1]).toMatchObject({
			actor: { id: agentA.userId },
			changes: {
				status: { from: 'new', to: 'in_progress' },
				owner: { from: null, to: { id: agentA.userId } }
			},
			public: false,
			channel: 'internal',
			version: 2
		});
		expect(replied.history[2]).toMatchObject({
			note: 'Richiamo entro sera',
			public: true,
			channel: 'email',
			version: 3
		});
		expect(replied.history[2].changes.firstResponse).toBeDefined();
		const rows = await dbOf(server).select().from(ticketHistory).where(eq(ticketHistory.ticketId, ticket.id));
		expect(rows).toHaveLength(3);
	});

	it('refuses a reason not allowed from the current status (400 on reasonId), and changes nothing', async () => {
		const ticket = await openTicket(agentA, desk);
		const res = await act(agentA, ticket, desk.reasons.CHIUSURA);
		expect(res.status).toBe(400);
		expect((await res.json()).error).toMatchObject({ code: 'bad_request', field: 'reasonId' });
		const after = await (await agentA.fetch(`/api/tickets/${ticket.id}`)).json();
		expect(after).toMatchObject({ version: 1, status: 'new' });
		expect(after.history).toHaveLength(1);
		expect(after.availableReasonIds).not.toContain(desk.reasons.CHIUSURA);
		expect(after.availableReasonIds).toContain(desk.reasons.PRESA);
	});

	it('refuses a reason restricted to other roles with 403', async () => {
		const ticket = await openTicket(agentA, desk);
		const res = await act(agentA, ticket, desk.reasons.CHIUSURA_UFFICIO, { note: 'duplicato' });
		expect(res.status).toBe(403);
		const detail = await (await agentA.fetch(`/api/tickets/${ticket.id}`)).json();
		expect(detail.availableReasonIds).not.toContain(desk.reasons.CHIUSURA_UFFICIO);
		const closed = await actOk(supervisor, ticket, desk.reasons.CHIUSURA_UFFICIO, { note: 'duplicato' });
		expect(closed.status).toBe('closed');
	});

	it('requires the note when the reason says so, and the owner for an assignment', async () => {
		const ticket = await openTicket(agentA, desk);
		let res = await act(agentA, ticket, desk.reasons.NOTA);
		expect(res.status).toBe(400);
		expect((await res.json()).error.field).toBe('note');
		res = await act(supervisor, ticket, desk.reasons.ASSEGNA);
		expect(res.status).toBe(400);
		expect((await res.json()).error.field).toBe('ownerId');
		res = await act(agentA, ticket, desk.reasons.PRESA, { ownerId: agentB.userId });
		expect(res.status).toBe(400);
		res = await act(agentA, ticket, crypto.randomUUID());
		expect((await res.json()).error.field).toBe('reasonId');
	});

	it('lets a supervisor assign to an operator of a group, but not an agent to someone else', async () => {
		const ticket = await openTicket(agentA, desk);
		const denied = await act(agentA, ticket, desk.reasons.ASSEGNA, { ownerId: agentB.userId });
		expect(denied.status).toBe(403);
		const notMember = await act(supervisor, ticket, desk.reasons.ASSEGNA, {
			ownerId: outsider.userId,
			groupId: desk.groupA
		});
		expect((await notMember.json()).error.field).toBe('ownerId');
		const assigned = await actOk(supervisor, ticket, desk.reasons.ASSEGNA, {
			ownerId: agentB.userId,
			groupId: desk.groupA
		});
		expect(assigned).toMatchObject({
			ownerId: agentB.userId,
			ownerName: agentB.username,
			status: 'assigned'
		});
		// Forwarding to another group hands it to that group's queue.
		const forwarded = await actOk(agentB, assigned, desk.reasons.INOLTRO, {
			groupId: desk.groupB,
			note: 'serve il secondo livello'
		});
		expect(forwarded).toMatchObject({ ownerId: null, groupId: desk.groupB, status: 'new' });
	});

	it('answers 409 for a stale version and changes nothing', async () => {
		const ticket = await openTicket(agentA, desk);
		await actOk(agentA, ticket, desk.reasons.NOTA, { note: 'prima' });
		const res = await act(agentB, ticket, desk.reasons.NOTA, { note: 'seconda' });
		expect(res.status).toBe(409);
		expect((await res.json()).error).toMatchObject({ code: 'conflict', field: 'version' });
		const detail = await (await agentA.fetch(`/api/tickets/${ticket.id}`)).json();
		expect(detail.history.map((h: { note: string | null }) => h.note)).toEqual([null, 'prima']);
	});
});

describe('two agents take the same ticket at once', () => {
	it('exactly one wins; the other gets 409 saying who took it; one history row', async () => {
		for (let round = 0; round < 5; round++) {
			const ticket = await openTicket(supervisor, desk);
			const [a, b] = await Promise.all([
				act(agentA, ticket, desk.reasons.PRESA),
				act(agentB, ticket, desk.reasons.PRESA)
			]);
			const statuses = [a.status, b.status].sort();
			expect(statuses).toEqual([200, 409]);
			const [winner, loser] = a.status === 200 ? [agentA, b] : [agentB, a];
			const error = (await loser.json()).error;
			expect(error.code).toBe('conflict');
			expect(error.message).toContain(`taken by ${winner.username}`);
			const detail = await (await supervisor.fetch(`/api/tickets/${ticket.id}`)).json();
			expect(detail).toMatchObject({ ownerId: winner.userId, version: 2 });
			expect(
				detail.history.filter((h: { reason: { code: string } | null }) => h.reason?.code === 'PRESA')
			).toHaveLength(1);
		}
	});

	it('refuses to take a ticket someone else already owns, saying who', async () => {
		const ticket = await openTicket(agentA, desk);
		const assigned = await actOk(supervisor, ticket, desk.reasons.ASSEGNA, { ownerId: agentA.userId });
		expect(assigned.status).toBe('assigned');
		const res = await act(agentB, assigned, desk.reasons.PRESA);
		expect(res.status).toBe(409);
		expect((await res.json()).error.message).toContain(`already taken by ${agentA.username}`);
		// The owner takes it up: it is already theirs.
		expect((await actOk(agentA, assigned, desk.reasons.PRESA)).status).toBe('in_progress');
	});
});

describe('queue views', () => {
	it('lists to_take, mine, my_groups, to_assign, open and breached, most urgent first', async () => {
		const own = await createDesk(server, { groupA: [agentA, agentB] });
		await addAssignmentRules(server, [
			{
				serviceCenterId: own.centerId,
				name: 'info manuale',
				position: 1,
				conditions: { categoryIds: [own.categories.info] },
				target: 'manual'
			},
			{ serviceCenterId: own.centerId, name: 'coda', position: 2, target: 'group', targetGroupId: own.groupA }
		]);
		const low = await openTicket(agentA, own, { priority: 'low' });
		const urgent = await openTicket(agentA, own, { priority: 'urgent' });
		const normal = await openTicket(agentA, own, { priority: 'normal' });
		const manual = await openTicket(agentA, own, { priority: 'high', categoryId: own.categories.info });
		await actOk(agentB, normal, own.reasons.PRESA);

		const view = async (client: TestClient, name: string) => {
			const res = await client.fetch(`/api/tickets?view=${name}&serviceCenterId=${own.centerId}`);
			expect(res.status).toBe(200);
			return ((await res.json()).items as Array<{ id: string }>).map((t) => t.id);
		};
		expect(await view(agentA, 'open')).toEqual([urgent.id, manual.id, normal.id, low.id]);
		expect(await view(agentA, 'to_take')).toEqual([urgent.id, low.id]);
		expect(await view(agentB, 'mine')).toEqual([normal.id]);
		expect(await view(agentA, 'mine')).toEqual([]);
		expect(await view(agentA, 'my_groups')).toEqual([urgent.id, normal.id, low.id]);
		expect(await view(supervisor, 'to_assign')).toEqual([manual.id]);
		expect(await view(supervisor, 'to_take')).toEqual([]);
		expect(await view(agentA, 'breached')).toEqual([]);

		const counts = await (await agentA.fetch(`/api/tickets/counts?serviceCenterId=${own.centerId}`)).json();
		expect(counts).toEqual({ to_take: 2, mine: 0, my_groups: 3, to_assign: 1, open: 4, breached: 0 });

		const page = await (
			await agentA.fetch(`/api/tickets?view=open&serviceCenterId=${own.centerId}&pageSize=3&page=2`)
		).json();
		expect(page).toMatchObject({ page: 2, pageSize: 3, hasMore: false });
		expect(page.items.map((t: { id: string }) => t.id)).toEqual([low.id]);

		const bad = await agentA.fetch(`/api/tickets?view=everything`);
		expect(bad.status).toBe(400);
		expect((await bad.json()).error.field).toBe('view');
	});

	it('keeps a reserved centre to its members', async () => {
		const reserved = await createDesk(server, { access: 'reserved', groupA: [agentA] });
		const ticket = await openTicket(agentA, reserved);
		expect((await outsider.fetch(`/api/tickets/${ticket.id}`)).status).toBe(403);
		expect((await outsider.fetch(`/api/tickets?view=open&serviceCenterId=${reserved.centerId}`)).status).toBe(
			403
		);
		const centres = await (await outsider.fetch('/api/service-centers')).json();
		expect(centres.items.map((c: { id: string }) => c.id)).not.toContain(reserved.centerId);
	});
});

describe('GET /api/service-centers', () => {
	it('gives groups, categories with paths, action reasons with usableByMe, and the SLA policy', async () => {
		const res = await agentA.fetch('/api/service-centers');
		expect(res.status).toBe(200);
		const centre = (await res.json()).items.find((c: { id: string }) => c.id === desk.centerId);
		expect(centre.myGroupIds).toEqual([desk.groupA]);
		expect(
			centre.groups
				.find((g: { id: string }) => g.id === desk.groupA)
				.members.map((m: { id: string }) => m.id)
				.sort()
		).toEqual([agentA.userId, agentB.userId].sort());
		expect(centre.categories.map((c: { path: string }) => c.path)).toContain('Guasto > Elettrico');
		const reasons = new Map(
			centre.actionReasons.map((r: { code: string; usableByMe: boolean }) => [r.code, r.usableByMe])
		);
		expect(reasons.get('PRESA')).toBe(true);
		expect(reasons.get('CHIUSURA_UFFICIO')).toBe(false);
		expect(centre.sla).toMatchObject({
			timeZone: 'Europe/Rome',
			warningShare: 0.75,
			pauseStatuses: ['waiting_customer']
		});
		expect(centre.sla.targets).toContainEqual({
			priority: 'urgent',
			serviceLevel: null,
			firstResponseMinutes: 60,
			resolutionMinutes: 480
		});
	});

	it('documents the ticket routes in the OpenAPI document', async () => {
		const doc = await (await fetch(`${server.url}/api/openapi.json`)).json();
		for (const path of [
			'/api/tickets',
			'/api/tickets/{id}',
			'/api/tickets/{id}/actions',
			'/api/service-centers',
			'/api/sla/preview',
			'/api/notifications'
		]) {
			expect(Object.keys(doc.paths)).toContain(path);
		}
	});
});

describe('live queues', () => {
	it("pushes a created and a taken ticket to a second user's socket, with its queue row and version", async () => {
		const socket = await agentB.socket();
		const created = nextEvent(socket, 'ticket:changed');
		const started = Date.now();
		const ticket = await openTicket(agentA, desk, { priority: 'high' });
		const pushed = (await created) as TicketChange;
		expect(pushed).toMatchObject({ entity: 'ticket', op: 'created', id: ticket.id, version: 1 });
		expect(pushed.data).toMatchObject({
			number: ticket.number,
			priority: 'high',
			groupId: desk.groupA,
			slaNextDueAt: ticket.slaNextDueAt
		});

		const taken = nextEvent(socket, 'ticket:changed');
		await actOk(agentA, ticket, desk.reasons.PRESA);
		expect(await taken).toMatchObject({
			op: 'updated',
			id: ticket.id,
			version: 2,
			data: { ownerId: agentA.userId, status: 'in_progress' }
		});
		expect(Date.now() - started).toBeLessThan(5000);
	});

	it('does not push a reserved centre to a socket that may not see it', async () => {
		const reserved = await createDesk(server, { access: 'reserved', groupA: [agentA] });
		const socket = await outsider.socket();
		const heard: unknown[] = [];
		socket.on('ticket:changed', (change) => {
			if (change.data.serviceCenterId === reserved.centerId) heard.push(change);
		});
		const memberSocket = await agentA.socket();
		const seen = nextEvent(memberSocket, 'ticket:changed');
		await openTicket(agentA, reserved);
		await seen;
		await new Promise((r) => setTimeout(r, 200));
		expect(heard).toEqual([]);
	});
});
