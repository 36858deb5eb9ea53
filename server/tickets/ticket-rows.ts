import { eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../db/client';
import { customers, serviceGroups, ticketCategories, tickets, users } from '../../db/schema';
import type { TicketRow } from './tickets.schemas';

/*
 * The queue row: the ticket with the names a queue shows. The same shape answers
 * GET /api/tickets and rides on every live ticket change.
 */

const owner = alias(users, 'owner');

export const ticketRowColumns = {
	id: tickets.id,
	number: tickets.number,
	version: tickets.version,
	serviceCenterId: tickets.serviceCenterId,
	title: tickets.title,
	status: tickets.status,
	priority: tickets.priority,
	origin: tickets.origin,
	customerId: tickets.customerId,
	customerName: customers.companyName,
	customerBlocked: customers.blocked,
	machineId: tickets.machineId,
	serviceLevel: tickets.serviceLevel,
	categoryId: tickets.categoryId,
	categoryName: ticketCategories.name,
	ownerId: tickets.ownerId,
	ownerName: owner.displayName,
	groupId: tickets.groupId,
	groupName: serviceGroups.name,
	openedAt: tickets.openedAt,
	statusChangedAt: tickets.statusChangedAt,
	updatedAt: tickets.updatedAt,
	/** An open pause: the clock stands still. */
	slaPauseOpen: sql<boolean>`${tickets.slaPauses} @> '[{"to": null}]'::jsonb`,
	slaFirstResponseDueAt: tickets.slaFirstResponseDueAt,
	slaFirstResponseWarningAt: tickets.slaFirstResponseWarningAt,
	slaFirstRespondedAt: tickets.slaFirstRespondedAt,
	slaFirstResponseBreached: tickets.slaFirstResponseBreached,
	slaResolutionDueAt: tickets.slaResolutionDueAt,
	slaResolutionWarningAt: tickets.slaResolutionWarningAt,
	slaResolutionBreached: tickets.slaResolutionBreached,
	slaNextDueAt: tickets.slaNextDueAt
};

/** The row query with its joins; callers add where, order and limit. */
export function selectTicketRows(db: DbOrTx) {
	return db
		.select(ticketRowColumns)
		.from(tickets)
		.innerJoin(customers, eq(customers.id, tickets.customerId))
		.leftJoin(owner, eq(owner.id, tickets.ownerId))
		.leftJoin(serviceGroups, eq(serviceGroups.id, tickets.groupId))
		.leftJoin(ticketCategories, eq(ticketCategories.id, tickets.categoryId));
}

export type TicketRowRecord = Awaited<ReturnType<ReturnType<typeof selectTicketRows>['execute']>>[number];

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

export function toTicketRow(r: TicketRowRecord): TicketRow {
	const due = r.slaNextDueAt?.getTime();
	const deadline =
		due === undefined
			? null
			: r.slaFirstRespondedAt === null && r.slaFirstResponseDueAt?.getTime() === due
				? 'first_response'
				: 'resolution';
	const nextWarningAt =
		deadline === 'first_response'
			? r.slaFirstResponseWarningAt
			: deadline === 'resolution'
				? r.slaResolutionWarningAt
				: null;
	return {
		id: r.id,
		number: r.number,
		version: r.version,
		serviceCenterId: r.serviceCenterId,
		title: r.title,
		status: r.status,
		priority: r.priority,
		origin: r.origin,
		customerId: r.customerId,
		customerName: r.customerName,
		customerBlocked: r.customerBlocked,
		machineId: r.machineId,
		serviceLevel: r.serviceLevel,
		categoryId: r.categoryId,
		categoryName: r.categoryName,
		ownerId: r.ownerId,
		ownerName: r.ownerName,
		groupId: r.groupId,
		groupName: r.groupName,
		openedAt: r.openedAt.toISOString(),
		statusChangedAt: r.statusChangedAt.toISOString(),
		updatedAt: r.updatedAt.toISOString(),
		slaFirstResponseDueAt: iso(r.slaFirstResponseDueAt),
		slaFirstResponseWarningAt: iso(r.slaFirstResponseWarningAt),
		slaFirstRespondedAt: iso(r.slaFirstRespondedAt),
		slaFirstResponseBreached: r.slaFirstResponseBreached,
		slaResolutionDueAt: iso(r.slaResolutionDueAt),
		slaResolutionWarningAt: iso(r.slaResolutionWarningAt),
		slaResolutionBreached: r.slaResolutionBreached,
		slaNextDeadline: deadline,
		slaNextDueAt: iso(r.slaNextDueAt),
		slaNextWarningAt: iso(nextWarningAt),
		slaPaused: r.slaPauseOpen && r.status !== 'resolved' && r.status !== 'closed',
		slaBreached: r.slaFirstResponseBreached || r.slaResolutionBreached
	};
}

export async function loadTicketRows(db: DbOrTx, ids: string[]): Promise<TicketRow[]> {
	if (ids.length === 0) return [];
	const rows = await selectTicketRows(db).where(
		ids.length === 1 ? eq(tickets.id, ids[0]) : inArray(tickets.id, ids)
	);
	return rows.map(toTicketRow);
}
