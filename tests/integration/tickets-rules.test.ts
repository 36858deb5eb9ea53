import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { automaticRules, notificationRules, tickets, users } from '../../db/schema';
import { nextEvent, startTestServer, type TestClient, type TestServer } from '../support/test-server';
import { runAutomaticRules } from '../../server/tickets/automatic-rules.job';
import {
	act,
	actOk,
	addAssignmentRules,
	createCustomer,
	createDesk,
	createMachine,
	dbOf,
	openTicket,
	systemCtx
} from './tickets-fixtures';

let server: TestServer;
let supervisor: TestClient;
let head: TestClient;
let agentA: TestClient;
let agentB: TestClient;
let agentC: TestClient;

beforeAll(async () => {
	server = await startTestServer();
	// The tests run the jobs themselves, at chosen instants.
	await server.runtime.jobs.stop();
	[supervisor, head, agentA, agentB, agentC] = await Promise.all([
		server.userWithRoles(['supervisor']),
		server.userWithRoles(['supervisor']),
		server.userWithRoles(['agent']),
		server.userWithRoles(['agent']),
		server.userWithRoles(['agent'])
	]);
});
afterAll(() => server?.close());

describe('assignment rules', () => {
	it('routes by priority, service level, category (with its children), customer, machine model and origin, first match wins', async () => {
		const desk = await createDesk(server, { groupA: [agentA, agentB], groupB: [agentC] });
		const vip = await createCustomer(server);
		const special = await createMachine(server, desk.customerId);
		await addAssignmentRules(server, [
			{
				serviceCenterId: desk.centerId,
				name: 'cliente vip',
				position: 1,
				conditions: { customerIds: [vip] },
				target: 'operator',
				targetUserId: agentC.userId
			},
			{
				serviceCenterId: desk.centerId,
				name: 'urgenti',
				position: 2,
				conditions: { priorities: ['urgent'] },
				target: 'group',
				targetGroupId: desk.groupB
			},
			{
				serviceCenterId: desk.centerId,
				name: 'premium',
				position: 3,
				conditions: { serviceLevels: ['premium'] },
				target: 'operator',
				targetUserId: agentB.userId,
				targetGroupId: desk.groupA
			},
			{
				serviceCenterId: desk.centerId,
				name: 'modello',
				position: 4,
				conditions: { machineModelIds: [special.modelId] },
				target: 'group',
				targetGroupId: desk.groupB
			},
			{
				serviceCenterId: desk.centerId,
				name: 'guasti',
				position: 5,
				conditions: { categoryIds: [desk.categories.fault] },
				target: 'group',
				targetGroupId: desk.groupA
			},
			{
				serviceCenterId: desk.centerId,
				name: 'portale',
				position: 6,
				conditions: { origins: ['portal'] },
				target: 'group',
				targetGroupId: desk.groupB
			},
			{
				serviceCenterId: desk.centerId,
				name: 'inattivo',
				position: 0,
				conditions: {},
				target: 'manual',
				active: false
			}
		]);
		const cases: Array<
			[Record<string, unknown>, { ownerId: string | null; groupId: string | null; status: string }]
		> = [
			[{ customerId: vip }, { ownerId: agentC.userId, groupId: null, status: 'assigned' }],
			[
				{ priority: 'urgent', machineId: desk.machineId },
				{ ownerId: null, groupId: desk.groupB, status: 'new' }
			],
			[{ machineId: desk.machineId }, { ownerId: agentB.userId, groupId: desk.groupA, status: 'assigned' }],
			[{ machineId: special.machineId }, { ownerId: null, groupId: desk.groupB, status: 'new' }],
			[{ categoryId: desk.categories.electrical }, { ownerId: null, groupId: desk.groupA, status: 'new' }],
			[{ origin: 'portal' }, { ownerId: null, groupId: desk.groupB, status: 'new' }],
			// No rule matches: "to assign".
			[{ origin: 'email' }, { ownerId: null, groupId: null, status: 'new' }]
		];
		for (const [body, expected] of cases) {
			const ticket = await openTicket(agentA, desk, body);
			expect(ticket, JSON.stringify(body)).toMatchObject(expected);
		}
		const ruled = await openTicket(agentA, desk, { customerId: vip });
		expect(ruled.history[0].changes.assignmentRule).toMatchObject({ to: { name: 'cliente vip' } });
	});

	it('rotates round-robin inside a group and skips disabled members', async () => {
		const members = await Promise.all([1, 2, 3].map(() => server.userWithRoles(['agent'])));
		const desk = await createDesk(server, { groupA: members });
		await addAssignmentRules(server, [
			{
				serviceCenterId: desk.centerId,
				name: 'rr',
				position: 1,
				target: 'group',
				targetGroupId: desk.groupA,
				distribution: 'round_robin'
			}
		]);
		const owners: string[] = [];
		for (let i = 0; i < 6; i++) owners.push((await openTicket(supervisor, desk)).ownerId!);
		expect(new Set(owners.slice(0, 3)).size).toBe(3);
		expect(owners.slice(3)).toEqual(owners.slice(0, 3));
		await dbOf(server).update(users).set({ disabled: true }).where(eq(users.id, owners[0]));
		const next = [(await openTicket(supervisor, desk)).ownerId, (await openTicket(supervisor, desk)).ownerId];
		expect(next.sort()).toEqual([owners[1], owners[2]].sort());
	});

	it('gives the member with the fewest open tickets (in every centre) the next ticket', async () => {
		const [fresh1, fresh2] = await Promise.all([
			server.userWithRoles(['agent']),
			server.userWithRoles(['agent'])
		]);
		const desk = await createDesk(server, { groupA: [fresh1, fresh2] });
		await addAssignmentRules(server, [
			{
				serviceCenterId: desk.centerId,
				name: 'll',
				position: 1,
				target: 'group',
				targetGroupId: desk.groupA,
				distribution: 'least_loaded'
			}
		]);
		const first = await openTicket(supervisor, desk);
		const second = await openTicket(supervisor, desk);
		expect(second.ownerId).not.toBe(first.ownerId);
		// Load the second member with two more; the next goes to the first member.
		for (let i = 0; i < 2; i++) {
			const t = await openTicket(supervisor, desk, { priority: 'low' });
			if (t.ownerId !== second.ownerId)
				await actOk(supervisor, t, desk.reasons.ASSEGNA, { ownerId: second.ownerId });
		}
		const next = await openTicket(supervisor, desk);
		expect(next.ownerId).toBe(first.ownerId);
	});

	it('re-runs the rules when a supervisor re-queues the ticket', async () => {
		const desk = await createDesk(server, { groupA: [agentA], groupB: [agentB] });
		const ticket = await openTicket(agentA, desk, { origin: 'email' });
		expect(ticket).toMatchObject({ ownerId: null, groupId: null });
		await addAssignmentRules(server, [
			{
				serviceCenterId: desk.centerId,
				name: 'email al secondo',
				position: 1,
				conditions: { origins: ['email'] },
				target: 'group',
				targetGroupId: desk.groupB,
				distribution: 'round_robin'
			}
		]);
		expect((await act(agentA, ticket, desk.reasons.RICODA)).status).toBe(403);
		const requeued = await actOk(supervisor, ticket, desk.reasons.RICODA);
		expect(requeued).toMatchObject({ groupId: desk.groupB, ownerId: agentB.userId, status: 'assigned' });
		expect(requeued.history.at(-1)!.changes.assignmentRule).toMatchObject({
			to: { name: 'email al secondo' }
		});
	});
});

describe('notification rules and the bell', () => {
	it("tells the centre's head, live, about a ticket opened for a blocked customer; the bell counts and clears", async () => {
		const desk = await createDesk(server, { headUserId: head.userId, groupA: [agentA] });
		await dbOf(server)
			.insert(notificationRules)
			.values({
				serviceCenterId: desk.centerId,
				name: 'cliente bloccato',
				event: 'ticket_opened',
				conditions: { customerBlocked: true },
				recipients: ['service_center_head']
			});
		const blocked = await createCustomer(server, { blocked: true });
		const socket = await head.socket();
		const pushed = nextEvent(socket, 'notification:new');
		await openTicket(agentA, desk); // not blocked: no notification
		const ticket = await openTicket(agentA, desk, { customerId: blocked });
		const push = await pushed;
		expect(push).toMatchObject({
			unread: 1,
			notification: {
				kind: 'ticket_opened',
				ticketId: ticket.id,
				data: { number: ticket.number, ruleName: 'cliente bloccato' }
			}
		});

		const bell = await (await head.fetch('/api/notifications')).json();
		expect(bell.unread).toBe(1);
		expect(bell.items).toHaveLength(1);
		const cleared = nextEvent(socket, 'notification:read');
		const read = await head.fetch('/api/notifications/read', {
			method: 'POST',
			json: { ids: [bell.items[0].id] }
		});
		expect(await read.json()).toEqual({ unread: 0 });
		expect(await cleared).toEqual({ ids: [bell.items[0].id], unread: 0 });
		expect((await (await head.fetch('/api/notifications?unreadOnly=true')).json()).items).toEqual([]);
		const bad = await head.fetch('/api/notifications/read', { method: 'POST', json: {} });
		expect(bad.status).toBe(400);
		expect((await bad.json()).error.field).toBe('ids');
	});

	it("tells the customer's account manager when a high-priority ticket is closed, not when a low one is", async () => {
		const desk = await createDesk(server, { groupA: [agentA] });
		await dbOf(server)
			.insert(notificationRules)
			.values({
				serviceCenterId: desk.centerId,
				name: 'alta chiusa',
				event: 'ticket_closed',
				conditions: { priorities: ['urgent', 'high'] },
				recipients: ['account_manager']
			});
		const manager = await server.userWithRoles(['supervisor']);
		const customerId = await createCustomer(server, { accountManagerId: manager.userId });
		const close = async (priority: string) => {
			const ticket = await openTicket(agentA, desk, { customerId, priority });
			return actOk(supervisor, ticket, desk.reasons.CHIUSURA_UFFICIO, { note: 'risolto al telefono' });
		};
		await close('low');
		const high = await close('high');
		const bell = await (await manager.fetch('/api/notifications')).json();
		expect(bell.items.map((n: { kind: string; ticketId: string }) => [n.kind, n.ticketId])).toEqual([
			['ticket_closed', high.id]
		]);
	});

	it('notifies the recipients of an action reason, never the one acting', async () => {
		const desk = await createDesk(server, { headUserId: head.userId, groupA: [agentA] });
		const ticket = await openTicket(agentA, desk);
		const before = (await (await head.fetch('/api/notifications')).json()).unread;
		await actOk(agentA, ticket, desk.reasons.ESCALATION, { note: 'cliente molto arrabbiato' });
		const bell = await (await head.fetch('/api/notifications')).json();
		expect(bell.unread).toBe(before + 1);
		expect(bell.items[0]).toMatchObject({
			kind: 'action_notice',
			data: { reasonName: 'Segnala al responsabile', note: 'cliente molto arrabbiato' }
		});
	});
});

describe('automatic rules (the scheduled job)', () => {
	it('reminds after N business minutes waiting for the customer, closes after more, once per episode', async () => {
		const desk = await createDesk(server, { groupA: [agentA] });
		await dbOf(server)
			.insert(automaticRules)
			.values([
				{
					serviceCenterId: desk.centerId,
					name: 'sollecito',
					trigger: 'status_held',
					status: 'waiting_customer',
					afterMinutes: 60,
					action: 'remind_customer',
					recipients: ['owner'],
					businessTime: false
				},
				{
					serviceCenterId: desk.centerId,
					name: 'chiusura',
					trigger: 'status_held',
					status: 'waiting_customer',
					afterMinutes: 120,
					action: 'close',
					recipients: ['owner'],
					businessTime: false
				}
			]);
		const ticket = await openTicket(agentA, desk);
		const taken = await actOk(agentA, ticket, desk.reasons.PRESA);
		const waiting = await actOk(agentA, taken, desk.reasons.ATTESA_CLIENTE, {
			note: 'manca il numero di serie'
		});
		const enteredAt = new Date(waiting.statusChangedAt);
		const run = (minutesLater: number) =>
			runAutomaticRules({
				ctx: systemCtx(server, 'automatic rules'),
				input: { now: new Date(enteredAt.getTime() + minutesLater * 60_000) }
			});

		await run(30);
		expect((await (await agentA.fetch(`/api/tickets/${ticket.id}`)).json()).version).toBe(waiting.version);
		await run(61);
		await run(62);
		let detail = await (await agentA.fetch(`/api/tickets/${ticket.id}`)).json();
		expect(detail.status).toBe('waiting_customer');
		expect(detail.history.filter((h: { kind: string }) => h.kind === 'rule')).toHaveLength(1);
		expect(detail.history.at(-1)).toMatchObject({
			kind: 'rule',
			actor: null,
			actorName: 'Regola automatica: sollecito',
			public: true,
			changes: { reminder: { to: 'customer' } }
		});
		const bell = await (await agentA.fetch('/api/notifications')).json();
		expect(bell.items[0]).toMatchObject({ kind: 'customer_reminded', ticketId: ticket.id });

		await run(121);
		detail = await (await agentA.fetch(`/api/tickets/${ticket.id}`)).json();
		expect(detail.status).toBe('closed');
		expect(detail.history.at(-1)).toMatchObject({
			kind: 'rule',
			changes: { status: { from: 'waiting_customer', to: 'closed' } }
		});
	});

	it('counts business time on the centre calendar: a weekend does not count', async () => {
		const officeHours = [{ start: '09:00', end: '17:00' }];
		const desk = await createDesk(server, {
			groupA: [agentA],
			calendar: {
				timeZone: 'Europe/Rome',
				weekHours: {
					1: officeHours,
					2: officeHours,
					3: officeHours,
					4: officeHours,
					5: officeHours,
					6: [],
					7: []
				},
				country: 'IT'
			}
		});
		await dbOf(server)
			.insert(automaticRules)
			.values({
				serviceCenterId: desk.centerId,
				name: 'non assegnato',
				trigger: 'unassigned',
				afterMinutes: 30,
				action: 'notify',
				recipients: ['supervisors']
			});
		const ticket = await openTicket(agentA, desk);
		// Queued on Friday 16:50 (Rome): 10 business minutes that day, 20 more on Monday from 09:00.
		const friday = new Date('2026-03-06T16:50:00+01:00');
		await dbOf(server).update(tickets).set({ queuedAt: friday }).where(eq(tickets.id, ticket.id));
		const run = (iso: string) => runAutomaticRules({ ctx: systemCtx(server), input: { now: new Date(iso) } });
		expect((await run('2026-03-08T12:00:00+01:00')).fired).toBe(0);
		expect((await run('2026-03-09T09:19:00+01:00')).fired).toBe(0);
		expect((await run('2026-03-09T09:21:00+01:00')).fired).toBe(1);
		expect((await run('2026-03-09T10:00:00+01:00')).fired).toBe(0);
		// "supervisors": no supervisor belongs to the desk's groups, so every supervisor hears it.
		const bell = await (await supervisor.fetch('/api/notifications')).json();
		expect(
			bell.items.some(
				(n: { kind: string; ticketId: string }) => n.kind === 'ticket_unassigned' && n.ticketId === ticket.id
			)
		).toBe(true);
	});

	it('does not fire for a ticket someone took in the meantime', async () => {
		const desk = await createDesk(server, { groupA: [agentA] });
		await dbOf(server)
			.insert(automaticRules)
			.values({
				serviceCenterId: desk.centerId,
				name: 'non assegnato',
				trigger: 'unassigned',
				afterMinutes: 30,
				action: 'notify',
				recipients: ['supervisors'],
				businessTime: false
			});
		const ticket = await openTicket(agentA, desk);
		await actOk(agentA, ticket, desk.reasons.PRESA);
		await runAutomaticRules({ ctx: systemCtx(server), input: { now: new Date(Date.now() + 3_600_000) } });
		const bell = await (await supervisor.fetch('/api/notifications')).json();
		expect(bell.items.some((n: { ticketId: string }) => n.ticketId === ticket.id)).toBe(false);
	});
});
