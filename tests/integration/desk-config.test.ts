import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextEvent, startTestServer, type TestClient, type TestServer } from '../support/test-server';
import type { BusinessCalendarInput } from '../../server/sla/business-calendar';
import type { TicketChange } from '../../server/realtime/contract';
import type { DeskConfig } from '../../server/desk-config/desk-config.schemas';
import { demoSlaTargets } from '../../db/seed/tickets';
import { act, actOk, aroundTheClock, createDesk, openTicket, type Desk } from './tickets-fixtures';

let server: TestServer;
let admin: TestClient;
let supervisor: TestClient;
let agent: TestClient;
let agentB: TestClient;

beforeAll(async () => {
	server = await startTestServer();
	await server.runtime.jobs.stop();
	[admin, supervisor, agent, agentB] = await Promise.all([
		server.userWithRoles(['admin']),
		server.userWithRoles(['supervisor']),
		server.userWithRoles(['agent']),
		server.userWithRoles(['agent'])
	]);
});
afterAll(() => server?.close());

const base = (desk: Desk) => `/api/desk-config/centers/${desk.centerId}`;

async function send(client: TestClient, method: string, path: string, json?: unknown) {
	const res = await client.fetch(path, { method, json });
	const text = await res.text();
	return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function ok<T = Record<string, unknown>>(
	client: TestClient,
	method: string,
	path: string,
	json?: unknown
) {
	const res = await send(client, method, path, json);
	expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
	return res.body as T;
}

const config = (desk: Desk) => ok<DeskConfig>(admin, 'GET', base(desk));

const reasonBody = {
	code: 'SOPRALLUOGO',
	name: 'Sopralluogo concordato',
	allowedFrom: ['new', 'assigned', 'in_progress'],
	allowedRoles: ['agent'],
	effects: { setStatus: 'in_progress', note: 'required' },
	defaultChannel: 'phone',
	public: true,
	sortOrder: 5
};

describe('who may configure the desk', () => {
	it('lets administrators write, supervisors read, and refuses everyone else', async () => {
		const desk = await createDesk(server);
		expect((await send(agent, 'GET', '/api/desk-config/centers')).status).toBe(403);
		expect((await send(agent, 'GET', base(desk))).status).toBe(403);
		const seen = await ok<DeskConfig>(supervisor, 'GET', base(desk));
		expect(seen.actionReasons.map((r) => r.code)).toContain('PRESA');
		const write = await send(supervisor, 'POST', `${base(desk)}/action-reasons`, reasonBody);
		expect(write.status).toBe(403);
		expect(write.body.error.code).toBe('forbidden');
		expect(
			(await send(agent, 'POST', '/api/desk-config/calendars', { name: 'x', config: aroundTheClock })).status
		).toBe(403);
	});
});

describe('action reasons', () => {
	it('a causale created by the administrator is offered to an agent and works on a ticket', async () => {
		const desk = await createDesk(server, { groupA: [agent] });
		const created = await ok<{ id: string; version: number }>(
			admin,
			'POST',
			`${base(desk)}/action-reasons`,
			reasonBody
		);
		expect(created.version).toBe(1);

		const ticket = await openTicket(agent, desk);
		expect(ticket.availableReasonIds).toContain(created.id);
		const missingNote = await act(agent, ticket, created.id);
		expect(missingNote.status).toBe(400);
		const done = await actOk(agent, ticket, created.id, { note: 'Domani alle 10' });
		expect(done.status).toBe('in_progress');
		expect(done.history.at(-1)).toMatchObject({
			reason: { id: created.id, code: 'SOPRALLUOGO' },
			channel: 'phone',
			public: true,
			note: 'Domani alle 10'
		});

		// Deactivated, it is no longer offered.
		await ok(admin, 'PUT', `${base(desk)}/action-reasons/${created.id}`, {
			...reasonBody,
			active: false,
			version: 1
		});
		const later = await openTicket(agent, desk);
		expect(later.availableReasonIds).not.toContain(created.id);
	});

	it('answers 409 on a stale version or a code taken in the centre, naming the field', async () => {
		const desk = await createDesk(server);
		const created = await ok<{ id: string }>(admin, 'POST', `${base(desk)}/action-reasons`, reasonBody);
		await ok(admin, 'PUT', `${base(desk)}/action-reasons/${created.id}`, {
			...reasonBody,
			name: 'Primo',
			version: 1
		});
		const stale = await send(admin, 'PUT', `${base(desk)}/action-reasons/${created.id}`, {
			...reasonBody,
			name: 'Secondo',
			version: 1
		});
		expect(stale.status).toBe(409);
		expect(stale.body.error).toMatchObject({ code: 'conflict', field: 'version' });
		expect(stale.body.error.message).toMatch(/changed by someone else/);
		expect((await config(desk)).actionReasons.find((r) => r.id === created.id)?.name).toBe('Primo');

		const taken = await send(admin, 'POST', `${base(desk)}/action-reasons`, { ...reasonBody, code: 'PRESA' });
		expect(taken.status).toBe(409);
		expect(taken.body.error.field).toBe('code');
		// The same code in another centre is fine.
		const other = await createDesk(server);
		await ok(admin, 'POST', `${base(other)}/action-reasons`, reasonBody);
	});
});

describe('SLA policy', () => {
	const ninetoTen = [{ start: '09:00', end: '10:00' }];
	const shortDays: BusinessCalendarInput = {
		timeZone: 'Europe/Rome',
		weekHours: { 1: ninetoTen, 2: ninetoTen, 3: ninetoTen, 4: ninetoTen, 5: ninetoTen, 6: [], 7: [] },
		country: 'IT'
	};
	const targetsWith = (normal: { firstResponseMinutes: number; resolutionMinutes: number }) =>
		demoSlaTargets.map((t) => (t.priority === 'normal' ? { ...t, ...normal } : t));

	it('gives new tickets (and the preview) the new targets and calendar; open tickets keep their deadlines', async () => {
		const desk = await createDesk(server, { groupA: [agent] });
		const before = await openTicket(agent, desk, { priority: 'normal' });
		expect(before.slaFirstResponseMinutes).toBe(240);
		const policy = (await config(desk)).slaPolicy!;
		expect(policy.version).toBe(1);

		const calendar = await ok<{ id: string; version: number }>(admin, 'POST', '/api/desk-config/calendars', {
			name: 'Un’ora al giorno',
			config: shortDays
		});
		const saved = await ok<{ version: number; targets: unknown[] }>(
			admin,
			'PUT',
			`${base(desk)}/sla-policy`,
			{
				version: policy.version,
				calendarId: calendar.id,
				warningShare: 0.5,
				pauseStatuses: ['waiting_customer', 'waiting_parts'],
				targets: [
					...targetsWith({ firstResponseMinutes: 30, resolutionMinutes: 120 }),
					{ priority: 'normal', serviceLevel: 'premium', firstResponseMinutes: 15, resolutionMinutes: 60 }
				]
			}
		);
		expect(saved.version).toBe(2);
		expect(saved.targets).toHaveLength(5);

		// The preview with the saved policy: Monday 9:10 + 30 business minutes = 9:40; 120 minutes
		// run on into Wednesday 9:10 (09:10-10:00 Monday, 09:00-10:00 Tuesday, 10 on Wednesday).
		const preview = await ok(admin, 'POST', '/api/sla/preview', {
			serviceCenterId: desk.centerId,
			priority: 'normal',
			openedAt: '2026-03-09T09:10:00+01:00'
		});
		expect(preview).toMatchObject({
			firstResponseMinutes: 30,
			resolutionMinutes: 120,
			firstResponseDueAt: '2026-03-09T09:40:00+01:00',
			resolutionDueAt: '2026-03-11T09:10:00+01:00'
		});
		const premium = await ok(admin, 'POST', '/api/sla/preview', {
			serviceCenterId: desk.centerId,
			priority: 'normal',
			serviceLevel: 'premium',
			openedAt: '2026-03-09T09:10:00+01:00'
		});
		expect(premium).toMatchObject({ firstResponseDueAt: '2026-03-09T09:25:00+01:00' });

		const after = await openTicket(agent, desk, { priority: 'normal' });
		expect(after).toMatchObject({ slaFirstResponseMinutes: 30, slaResolutionMinutes: 120 });
		// One business hour a day: 120 minutes take at least a day of wall time.
		const span = Date.parse(after.slaResolutionDueAt!) - Date.parse(after.openedAt);
		expect(span).toBeGreaterThan(24 * 3600_000);

		// The ticket opened before keeps what it was promised, also after an action on it.
		const noted = await actOk(agent, before, desk.reasons.NOTA, { note: 'ancora in corso' });
		expect(noted).toMatchObject({
			slaFirstResponseMinutes: 240,
			slaResolutionMinutes: 2400,
			slaFirstResponseDueAt: before.slaFirstResponseDueAt,
			slaResolutionDueAt: before.slaResolutionDueAt
		});
	});

	it('rejects a stale policy version with 409 and invalid targets with 400 naming the field', async () => {
		const desk = await createDesk(server);
		const policy = (await config(desk)).slaPolicy!;
		const body = {
			version: policy.version,
			calendarId: policy.calendarId,
			warningShare: 0.75,
			pauseStatuses: ['waiting_customer'],
			targets: demoSlaTargets
		};
		await ok(admin, 'PUT', `${base(desk)}/sla-policy`, body);
		const stale = await send(admin, 'PUT', `${base(desk)}/sla-policy`, body);
		expect(stale.status).toBe(409);
		expect(stale.body.error.field).toBe('version');
		const fresh = { ...body, version: policy.version + 1 };

		const duplicate = await send(admin, 'PUT', `${base(desk)}/sla-policy`, {
			...fresh,
			targets: [...demoSlaTargets, demoSlaTargets[0]]
		});
		expect(duplicate.status).toBe(400);
		expect(duplicate.body.error.field).toBe('targets.4.priority');
		const inverted = await send(admin, 'PUT', `${base(desk)}/sla-policy`, {
			...fresh,
			targets: [{ priority: 'high', serviceLevel: null, firstResponseMinutes: 600, resolutionMinutes: 60 }]
		});
		expect(inverted.body.error.field).toBe('targets.0.firstResponseMinutes');
		const noCalendar = await send(admin, 'PUT', `${base(desk)}/sla-policy`, {
			...fresh,
			calendarId: '00000000-0000-4000-8000-000000000000'
		});
		expect(noCalendar.status).toBe(400);
		expect(noCalendar.body.error.field).toBe('calendarId');
		// Nothing of the refused writes stuck.
		expect((await config(desk)).slaPolicy).toMatchObject({ version: policy.version + 1, warningShare: 0.75 });
	});
});

describe('business calendars', () => {
	it('names the field of a shift that ends before it starts, and versions every change', async () => {
		const broken = structuredClone(aroundTheClock) as BusinessCalendarInput;
		broken.weekHours[2] = [{ start: '14:00', end: '09:00' }];
		const bad = await send(admin, 'POST', '/api/desk-config/calendars', { name: 'Rotto', config: broken });
		expect(bad.status).toBe(400);
		expect(bad.body.error.field).toBe('config.weekHours.2.0.end');

		const regions = await ok<{ items: Array<{ code: string; name: string }> }>(
			admin,
			'GET',
			'/api/desk-config/holiday-regions'
		);
		expect(regions.items).toContainEqual({ code: '25.MI', name: 'Lombardy · Milan' });
		const created = await ok<{ id: string; version: number }>(admin, 'POST', '/api/desk-config/calendars', {
			name: 'Milano',
			config: { ...aroundTheClock, region: '25.MI', closures: [{ from: '2026-08-10', to: '2026-08-21' }] }
		});
		const renamed = await ok<{ version: number; name: string }>(
			admin,
			'PUT',
			`/api/desk-config/calendars/${created.id}`,
			{ name: 'Milano centro', config: aroundTheClock, version: created.version }
		);
		expect(renamed).toMatchObject({ version: 2, name: 'Milano centro' });
		const stale = await send(admin, 'PUT', `/api/desk-config/calendars/${created.id}`, {
			name: 'x',
			config: aroundTheClock,
			version: 1
		});
		expect(stale.status).toBe(409);

		// In use by a policy: it cannot be deleted; unused, it can.
		const desk = await createDesk(server);
		const policy = (await config(desk)).slaPolicy!;
		await ok(admin, 'PUT', `${base(desk)}/sla-policy`, {
			version: policy.version,
			calendarId: created.id,
			warningShare: 0.75,
			pauseStatuses: [],
			targets: demoSlaTargets
		});
		const inUse = await send(admin, 'DELETE', `/api/desk-config/calendars/${created.id}`);
		expect(inUse.status).toBe(409);
		expect(inUse.body.error.message).toContain(desk.code);
		const list = await ok<{ items: Array<{ id: string; usedBy: Array<{ code: string }> }> }>(
			supervisor,
			'GET',
			'/api/desk-config/calendars'
		);
		expect(list.items.find((c) => c.id === created.id)?.usedBy.map((u) => u.code)).toEqual([desk.code]);
		const spare = await ok<{ id: string }>(admin, 'POST', '/api/desk-config/calendars', {
			name: 'Spare',
			config: aroundTheClock
		});
		expect((await send(admin, 'DELETE', `/api/desk-config/calendars/${spare.id}`)).status).toBe(204);
	});
});

describe('categories', () => {
	it('builds a tree inside the centre and refuses a foreign parent or a cycle', async () => {
		const desk = await createDesk(server);
		const other = await createDesk(server);
		const path = `${base(desk)}/categories`;
		const top = await ok<{ id: string }>(admin, 'POST', path, { code: 'RETE', name: 'Rete' });
		const child = await ok<{ id: string }>(admin, 'POST', path, {
			code: 'RETE_WIFI',
			name: 'Wi-Fi',
			parentId: top.id
		});
		const grandchild = await ok<{ id: string }>(admin, 'POST', path, {
			code: 'RETE_WIFI_AP',
			name: 'Access point',
			parentId: child.id
		});

		const foreign = await send(admin, 'POST', path, {
			code: 'X',
			name: 'X',
			parentId: other.categories.fault
		});
		expect(foreign.status).toBe(400);
		expect(foreign.body.error.field).toBe('parentId');
		const cycle = await send(admin, 'PUT', `${path}/${top.id}`, {
			code: 'RETE',
			name: 'Rete',
			parentId: grandchild.id
		});
		expect(cycle.status).toBe(400);
		expect(cycle.body.error).toMatchObject({ field: 'parentId' });
		const duplicate = await send(admin, 'POST', path, { code: 'RETE', name: 'Ancora' });
		expect(duplicate.status).toBe(409);

		// Deactivated: kept in the configuration, no longer offered on new tickets.
		await ok(admin, 'PUT', `${path}/${child.id}`, {
			code: 'RETE_WIFI',
			name: 'Wi-Fi',
			parentId: top.id,
			active: false
		});
		const refused = await send(agent, 'POST', '/api/tickets', {
			serviceCenterId: desk.centerId,
			customerId: desk.customerId,
			origin: 'phone',
			title: 'Wi-Fi giù',
			categoryId: child.id
		});
		expect(refused.status).toBe(400);
		const tree = (await config(desk)).categories;
		expect(tree.find((c) => c.id === child.id)).toMatchObject({ active: false, parentId: top.id });
	});
});

describe('assignment rules', () => {
	it('a rule created through the API routes the next ticket; reordering changes which rule decides', async () => {
		const desk = await createDesk(server, { groupA: [agent, agentB] });
		const path = `${base(desk)}/assignment-rules`;
		const urgent = await ok<{ id: string; position: number }>(admin, 'POST', path, {
			name: 'Urgenti a B',
			conditions: { priorities: ['urgent'] },
			target: 'operator',
			targetUserId: agentB.userId,
			targetGroupId: desk.groupA
		});
		const everything = await ok<{ id: string; position: number }>(admin, 'POST', path, {
			name: 'Tutto al gruppo',
			target: 'group',
			targetGroupId: desk.groupB
		});
		expect(everything.position).toBeGreaterThan(urgent.position);

		const routed = await openTicket(agent, desk, { priority: 'urgent' });
		expect(routed).toMatchObject({ ownerId: agentB.userId, groupId: desk.groupA, status: 'assigned' });
		expect(routed.history[0].changes.assignmentRule).toMatchObject({ to: { name: 'Urgenti a B' } });

		const reordered = await ok<{ items: Array<{ id: string }> }>(admin, 'PUT', `${path}-order`, {
			ids: [everything.id, urgent.id]
		});
		expect(reordered.items.map((r) => r.id)).toEqual([everything.id, urgent.id]);
		const second = await openTicket(agent, desk, { priority: 'urgent' });
		expect(second).toMatchObject({ ownerId: null, groupId: desk.groupB });

		// A manual rule first leaves tickets "to assign".
		const manual = await ok<{ id: string }>(admin, 'POST', path, { name: 'Manuale', target: 'manual' });
		await ok(admin, 'PUT', `${path}-order`, { ids: [manual.id, everything.id, urgent.id] });
		expect(await openTicket(agent, desk, { priority: 'urgent' })).toMatchObject({
			ownerId: null,
			groupId: null
		});
		const incomplete = await send(admin, 'PUT', `${path}-order`, { ids: [manual.id] });
		expect(incomplete.status).toBe(400);
		expect(incomplete.body.error.field).toBe('ids');
	});

	it('refuses a target operator who is no member of the centre, or does not exist, naming the field', async () => {
		const desk = await createDesk(server, { groupA: [agent] });
		const outsider = await server.userWithRoles(['agent']);
		const path = `${base(desk)}/assignment-rules`;
		const notMember = await send(admin, 'POST', path, {
			name: 'fuori',
			target: 'operator',
			targetUserId: outsider.userId
		});
		expect(notMember.status).toBe(400);
		expect(notMember.body.error.field).toBe('targetUserId');
		expect(notMember.body.error.message).toMatch(/not a member/);
		const ghost = await send(admin, 'POST', path, {
			name: 'fantasma',
			target: 'operator',
			targetUserId: '00000000-0000-4000-8000-000000000000'
		});
		expect(ghost.body.error).toMatchObject({ field: 'targetUserId', message: 'targetUserId: no such user' });
		const wrongGroup = await send(admin, 'POST', path, {
			name: 'gruppo',
			target: 'group',
			targetGroupId: (await createDesk(server)).groupA
		});
		expect(wrongGroup.body.error.field).toBe('targetGroupId');
		const missingGroup = await send(admin, 'POST', path, { name: 'g', target: 'group' });
		expect(missingGroup.body.error.field).toBe('targetGroupId');
		const foreignCategory = await send(admin, 'POST', path, {
			name: 'cat',
			target: 'manual',
			conditions: { categoryIds: [desk.categories.fault, (await createDesk(server)).categories.info] }
		});
		expect(foreignCategory.body.error.field).toBe('conditions.categoryIds.1');

		// The rule's operator cannot be removed from the group while the rule sends tickets to them.
		await ok(admin, 'POST', path, { name: 'a me', target: 'operator', targetUserId: agent.userId });
		const removal = await send(admin, 'PUT', `${base(desk)}/groups/${desk.groupA}/members`, { userIds: [] });
		expect(removal.status).toBe(409);
		expect(removal.body.error.field).toBe('userIds');
	});
});

describe('automatic and notification rules', () => {
	it('creates, validates and deactivates them', async () => {
		const desk = await createDesk(server);
		const auto = await ok<{ id: string }>(admin, 'POST', `${base(desk)}/automatic-rules`, {
			name: 'Sollecito',
			trigger: 'status_held',
			status: 'waiting_customer',
			afterMinutes: 2400,
			action: 'remind_customer'
		});
		const noStatus = await send(admin, 'POST', `${base(desk)}/automatic-rules`, {
			name: 'x',
			trigger: 'status_held',
			afterMinutes: 60,
			action: 'close'
		});
		expect(noStatus.body.error.field).toBe('status');
		const noRecipients = await send(admin, 'POST', `${base(desk)}/automatic-rules`, {
			name: 'x',
			trigger: 'unassigned',
			afterMinutes: 30,
			action: 'notify'
		});
		expect(noRecipients.body.error.field).toBe('recipients');
		await ok(admin, 'PUT', `${base(desk)}/automatic-rules/${auto.id}`, {
			name: 'Sollecito',
			trigger: 'status_held',
			status: 'waiting_customer',
			afterMinutes: 2400,
			action: 'remind_customer',
			active: false
		});

		const notice = await ok<{ id: string }>(admin, 'POST', `${base(desk)}/notification-rules`, {
			name: 'Urgenti al responsabile',
			event: 'ticket_opened',
			conditions: { priorities: ['urgent'] },
			recipients: ['service_center_head']
		});
		const badEvent = await send(admin, 'POST', `${base(desk)}/notification-rules`, {
			name: 'x',
			event: 'ticket_exploded',
			recipients: ['owner']
		});
		expect(badEvent.body.error.field).toBe('event');
		const cfg = await config(desk);
		expect(cfg.automaticRules.find((r) => r.id === auto.id)).toMatchObject({ active: false });
		expect(cfg.notificationRules.find((r) => r.id === notice.id)).toMatchObject({
			event: 'ticket_opened',
			recipients: ['service_center_head']
		});
	});
});

describe('service groups', () => {
	it('an agent added to a group of a reserved centre hears its queue at once, and stops when removed', async () => {
		const member = await server.userWithRoles(['agent']);
		const newcomer = await server.userWithRoles(['agent']);
		const desk = await createDesk(server, { access: 'reserved', groupA: [member] });
		const socket = await newcomer.socket();
		const heard: TicketChange[] = [];
		socket.on('ticket:changed', (change) => {
			if (change.data.serviceCenterId === desk.centerId) heard.push(change);
		});

		const group = await ok<{ members: Array<{ id: string }> }>(
			admin,
			'PUT',
			`${base(desk)}/groups/${desk.groupA}/members`,
			{ userIds: [member.userId, newcomer.userId] }
		);
		expect(group.members.map((m) => m.id).sort()).toEqual([member.userId, newcomer.userId].sort());
		const pushed = nextEvent(socket, 'ticket:changed');
		const ticket = await openTicket(member, desk);
		expect((await pushed).id).toBe(ticket.id);

		await ok(admin, 'PUT', `${base(desk)}/groups/${desk.groupA}/members`, { userIds: [member.userId] });
		const before = heard.length;
		// The member's own socket proves the push went out before we look.
		const memberSocket = await member.socket();
		const memberHeard = nextEvent(memberSocket, 'ticket:changed');
		await openTicket(member, desk);
		await memberHeard;
		await new Promise((r) => setTimeout(r, 200));
		expect(heard.length).toBe(before);
	});

	it('creates, renames and deletes groups; refuses unknown members and a group still in use', async () => {
		const desk = await createDesk(server);
		const path = `${base(desk)}/groups`;
		const created = await ok<{ id: string }>(admin, 'POST', path, { name: 'Terzo livello' });
		expect((await send(admin, 'POST', path, { name: 'Terzo livello' })).status).toBe(409);
		await ok(admin, 'PUT', `${path}/${created.id}`, { name: 'Specialisti' });
		const unknown = await send(admin, 'PUT', `${path}/${created.id}/members`, {
			userIds: [agent.userId, '00000000-0000-4000-8000-000000000000']
		});
		expect(unknown.status).toBe(400);
		expect(unknown.body.error.field).toBe('userIds.1');
		const tech = await server.userWithRoles(['technician']);
		const notOperator = await send(admin, 'PUT', `${path}/${created.id}/members`, { userIds: [tech.userId] });
		expect(notOperator.body.error.field).toBe('userIds.0');

		await ok(admin, 'POST', `${base(desk)}/assignment-rules`, {
			name: 'agli specialisti',
			target: 'group',
			targetGroupId: created.id
		});
		const inUse = await send(admin, 'DELETE', `${path}/${created.id}`);
		expect(inUse.status).toBe(409);
		const spare = await ok<{ id: string }>(admin, 'POST', path, { name: 'Temporaneo' });
		expect((await send(admin, 'DELETE', `${path}/${spare.id}`)).status).toBe(204);
		expect((await config(desk)).groups.map((g) => g.name)).toEqual([
			'Primo livello',
			'Secondo livello',
			'Specialisti'
		]);
	});
});

describe('hardening (issue 19): calendars and targets are validated where they are saved', () => {
	const oneHourOnMonday: BusinessCalendarInput = {
		timeZone: 'Europe/Rome',
		weekHours: { 1: [{ start: '09:00', end: '10:00' }] },
		country: 'IT'
	};
	const createCalendar = (calendar: unknown) =>
		send(admin, 'POST', '/api/desk-config/calendars', { name: 'Calendario', config: calendar });

	it('refuses a calendar with under an hour a week, impossible closures or an unknown region, naming the field', async () => {
		const cases: Array<[unknown, string]> = [
			[{ ...oneHourOnMonday, weekHours: { 1: [{ start: '09:00', end: '09:01' }] } }, 'config.weekHours'],
			[{ ...aroundTheClock, closures: [{ date: '2026-02-30' }] }, 'config.closures.0.date'],
			[{ ...aroundTheClock, closures: [{ date: '2026-02-32' }] }, 'config.closures.0.date'],
			[{ ...aroundTheClock, closures: [{ from: '0001-01-01', to: '2026-01-01' }] }, 'config.closures.0.from'],
			[{ ...aroundTheClock, closures: [{ date: '9999-12-31' }] }, 'config.closures.0.date'],
			[{ ...aroundTheClock, region: '__proto__' }, 'config.region'],
			[{ ...aroundTheClock, region: 'toString' }, 'config.region']
		];
		for (const [calendar, field] of cases) {
			const res = await createCalendar(calendar);
			expect(res.status, JSON.stringify(res.body)).toBe(400);
			expect(res.body.error).toMatchObject({ code: 'bad_request', field });
		}
		expect((await createCalendar(oneHourOnMonday)).status).toBe(201);
	});

	it('refuses targets over 100,000 minutes and targets the calendar cannot reach within the search window', async () => {
		const desk = await createDesk(server);
		const policy = (await config(desk)).slaPolicy!;
		const sparse = (await createCalendar(oneHourOnMonday)).body as { id: string; version: number };
		const withTarget = (calendarId: string, resolutionMinutes: number) => ({
			version: policy.version,
			calendarId,
			warningShare: 0.75,
			pauseStatuses: [],
			targets: [{ priority: 'low', serviceLevel: null, firstResponseMinutes: 60, resolutionMinutes }]
		});
		const tooLong = await send(
			admin,
			'PUT',
			`${base(desk)}/sla-policy`,
			withTarget(policy.calendarId, 150_000)
		);
		expect(tooLong.status).toBe(400);
		expect(tooLong.body.error.field).toBe('targets.0.resolutionMinutes');

		const unreachable = await send(admin, 'PUT', `${base(desk)}/sla-policy`, withTarget(sparse.id, 100_000));
		expect(unreachable.status).toBe(400);
		expect(unreachable.body.error.field).toBe('targets.0.resolutionMinutes');

		// A calendar in use may not shrink below what its policies' targets need.
		const roundTheClock = (await createCalendar(aroundTheClock)).body as { id: string; version: number };
		await ok(admin, 'PUT', `${base(desk)}/sla-policy`, withTarget(roundTheClock.id, 100_000));
		const shrunk = await send(admin, 'PUT', `/api/desk-config/calendars/${roundTheClock.id}`, {
			name: 'Un’ora il lunedì',
			config: oneHourOnMonday,
			version: roundTheClock.version
		});
		expect(shrunk.status).toBe(400);
		expect(shrunk.body.error.field).toBe('config.weekHours');
	});
});
