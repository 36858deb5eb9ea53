import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import {
	actionReasons,
	assignmentRules,
	businessCalendars,
	contractLines,
	contracts,
	customers,
	machineModels,
	machines,
	serviceCenters,
	serviceGroupMembers,
	serviceGroups,
	slaPolicies,
	slaTargets,
	ticketCategories,
	type TicketStatus
} from '../../db/schema';
import type { BusinessCalendarInput } from '../../server/sla/business-calendar';
import type { SlaTarget } from '../../server/sla/ticket-sla';
import type { Ctx } from '../../server/core/context';
import type { TicketDetail } from '../../server/tickets/tickets.schemas';
import { demoActionReasons, demoSlaTargets } from '../../db/seed/tickets';
import type { TestClient, TestServer } from '../support/test-server';

/*
 * Each test file builds its own service centre ("desk") with the demo causali, so tests never
 * share rows: codes are random, and every ticket belongs to the desk that created it.
 */

const allHours = [{ start: '00:00', end: '24:00' }];
/** Open around the clock (Italian public holidays still close it), so business time is wall time on most days. */
export const aroundTheClock: BusinessCalendarInput = {
	timeZone: 'Europe/Rome',
	weekHours: { 1: allHours, 2: allHours, 3: allHours, 4: allHours, 5: allHours, 6: allHours, 7: allHours },
	country: 'IT'
};

export interface Desk {
	centerId: string;
	code: string;
	policyId: string;
	groupA: string;
	groupB: string;
	/** Parent category "Guasto" and its child "Elettrico", and "Info". */
	categories: { fault: string; electrical: string; info: string };
	/** Demo causali by code. */
	reasons: Record<string, string>;
	/** A customer with a machine under a premium contract. */
	customerId: string;
	machineId: string;
	modelId: string;
}

export const dbOf = (server: TestServer) => server.runtime.database.handle.db;

export const systemCtx = (server: TestServer, name = 'test'): Ctx => ({
	actor: { kind: 'system', name },
	db: dbOf(server),
	events: server.runtime.events
});

const code = (prefix: string) => `${prefix}${randomBytes(3).toString('hex').toUpperCase()}`;

export async function createDesk(
	server: TestServer,
	options: {
		groupA?: TestClient[];
		groupB?: TestClient[];
		headUserId?: string;
		access?: 'open' | 'reserved';
		calendar?: BusinessCalendarInput;
		targets?: SlaTarget[];
		pauseStatuses?: TicketStatus[];
	} = {}
): Promise<Desk> {
	const db = dbOf(server);
	const deskCode = code('T');
	const [center] = await db
		.insert(serviceCenters)
		.values({
			code: deskCode,
			name: `Desk ${deskCode}`,
			access: options.access ?? 'open',
			headUserId: options.headUserId ?? null
		})
		.returning();
	const [a, b] = await db
		.insert(serviceGroups)
		.values([
			{ serviceCenterId: center.id, name: 'Primo livello' },
			{ serviceCenterId: center.id, name: 'Secondo livello' }
		])
		.returning();
	const memberRows = [
		...(options.groupA ?? []).map((u) => ({ groupId: a.id, userId: u.userId })),
		...(options.groupB ?? []).map((u) => ({ groupId: b.id, userId: u.userId }))
	];
	if (memberRows.length) await db.insert(serviceGroupMembers).values(memberRows);
	const [calendar] = await db
		.insert(businessCalendars)
		.values({ name: deskCode, config: options.calendar ?? aroundTheClock })
		.returning();
	const [policy] = await db
		.insert(slaPolicies)
		.values({
			serviceCenterId: center.id,
			calendarId: calendar.id,
			pauseStatuses: options.pauseStatuses ?? ['waiting_customer']
		})
		.returning();
	await db
		.insert(slaTargets)
		.values((options.targets ?? demoSlaTargets).map((t) => ({ ...t, policyId: policy.id })));
	const [fault] = await db
		.insert(ticketCategories)
		.values({ serviceCenterId: center.id, code: 'GUASTO', name: 'Guasto' })
		.returning();
	const [electrical, info] = await db
		.insert(ticketCategories)
		.values([
			{ serviceCenterId: center.id, parentId: fault.id, code: 'GUASTO_ELE', name: 'Elettrico' },
			{ serviceCenterId: center.id, code: 'INFO', name: 'Informazioni' }
		])
		.returning();
	const reasons = await db
		.insert(actionReasons)
		.values(demoActionReasons.map((r, i) => ({ ...r, serviceCenterId: center.id, sortOrder: i })))
		.returning({ id: actionReasons.id, code: actionReasons.code });
	const customer = await createCustomer(server);
	const { machineId, modelId } = await createMachine(server, customer, 'premium');
	return {
		centerId: center.id,
		code: deskCode,
		policyId: policy.id,
		groupA: a.id,
		groupB: b.id,
		categories: { fault: fault.id, electrical: electrical.id, info: info.id },
		reasons: Object.fromEntries(reasons.map((r) => [r.code, r.id])),
		customerId: customer,
		machineId,
		modelId
	};
}

export async function createCustomer(
	server: TestServer,
	extra: { blocked?: boolean; accountManagerId?: string } = {}
): Promise<string> {
	const [c] = await dbOf(server)
		.insert(customers)
		.values({
			code: code('C'),
			companyName: `Officine ${code('')} S.r.l.`,
			blocked: extra.blocked ?? false,
			accountManagerId: extra.accountManagerId ?? null
		})
		.returning({ id: customers.id });
	return c.id;
}

/** A machine of the customer, under an active contract of the given service level when one is given. */
export async function createMachine(
	server: TestServer,
	customerId: string,
	serviceLevel?: 'basic' | 'standard' | 'premium'
) {
	const db = dbOf(server);
	const [model] = await db
		.insert(machineModels)
		.values({ manufacturer: 'Test', code: code('M'), name: 'Tornio CNC', category: 'cnc' })
		.returning();
	const [machine] = await db
		.insert(machines)
		.values({ modelId: model.id, serialNumber: code('SN'), customerId })
		.returning();
	if (serviceLevel) {
		const year = new Date().getUTCFullYear();
		const [contract] = await db
			.insert(contracts)
			.values({
				code: code('K'),
				customerId,
				startsOn: `${year - 1}-01-01`,
				endsOn: `${year + 1}-12-31`,
				serviceLevel,
				status: 'active'
			})
			.returning();
		await db
			.insert(contractLines)
			.values({ contractId: contract.id, machineId: machine.id, visitEveryMonths: 6 });
	}
	return { machineId: machine.id, modelId: model.id };
}

export async function addAssignmentRules(
	server: TestServer,
	rules: Array<typeof assignmentRules.$inferInsert>
) {
	await dbOf(server).insert(assignmentRules).values(rules);
}

export async function openTicket(
	client: TestClient,
	desk: Desk,
	body: Record<string, unknown> = {}
): Promise<TicketDetail> {
	const res = await client.fetch('/api/tickets', {
		method: 'POST',
		json: {
			serviceCenterId: desk.centerId,
			customerId: desk.customerId,
			origin: 'phone',
			title: 'Macchina ferma',
			priority: 'normal',
			...body
		}
	});
	const payload = await res.json();
	expect(res.status, JSON.stringify(payload)).toBe(201);
	return payload as TicketDetail;
}

export async function act(
	client: TestClient,
	ticket: { id: string; version: number },
	reasonId: string,
	extra: Record<string, unknown> = {}
) {
	return client.fetch(`/api/tickets/${ticket.id}/actions`, {
		method: 'POST',
		json: { reasonId, version: ticket.version, ...extra }
	});
}

/** An action that must succeed; answers the ticket after it. */
export async function actOk(
	client: TestClient,
	ticket: { id: string; version: number },
	reasonId: string,
	extra: Record<string, unknown> = {}
) {
	const res = await act(client, ticket, reasonId, extra);
	const payload = await res.json();
	expect(res.status, JSON.stringify(payload)).toBe(200);
	return payload as TicketDetail;
}
