import { and, arrayContains, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import {
	customers,
	notificationRules,
	serviceCenters,
	serviceGroupMembers,
	serviceGroups,
	users,
	type NotificationEvent,
	type NotificationRecipient,
	type TicketOrigin,
	type TicketPriority,
	type NotificationData
} from '../../db/schema';
import type { DomainEvent } from '../core/events';
import { categoryLineage } from '../tickets/categories';
import { sendNotifications } from './notifications.service';

/** What rules look at about a ticket. */
export interface TicketFacts {
	id: string;
	number: string;
	title: string;
	serviceCenterId: string;
	customerId: string;
	priority: TicketPriority;
	origin: TicketOrigin;
	categoryId: string | null;
	ownerId: string | null;
	groupId: string | null;
}

interface Tx {
	db: DbOrTx;
	raise: (event: DomainEvent) => void;
}

/**
 * Turns recipient kinds into enabled users. "supervisors" are the supervisors who belong to one
 * of the centre's groups, or every supervisor when the centre has none of its own.
 */
export async function resolveRecipients(
	db: DbOrTx,
	recipients: readonly NotificationRecipient[],
	ticket: TicketFacts
): Promise<string[]> {
	const ids = new Set<string>();
	const want = new Set(recipients);
	if (want.has('owner') && ticket.ownerId) ids.add(ticket.ownerId);
	if (want.has('account_manager')) {
		const [c] = await db
			.select({ id: customers.accountManagerId })
			.from(customers)
			.where(eq(customers.id, ticket.customerId));
		if (c?.id) ids.add(c.id);
	}
	if (want.has('service_center_head')) {
		const [c] = await db
			.select({ id: serviceCenters.headUserId })
			.from(serviceCenters)
			.where(eq(serviceCenters.id, ticket.serviceCenterId));
		if (c?.id) ids.add(c.id);
	}
	if (want.has('group_members') && ticket.groupId) {
		const members = await db
			.select({ id: serviceGroupMembers.userId })
			.from(serviceGroupMembers)
			.where(eq(serviceGroupMembers.groupId, ticket.groupId));
		for (const m of members) ids.add(m.id);
	}
	if (want.has('supervisors')) {
		const inCentre = await db
			.selectDistinct({ id: users.id })
			.from(users)
			.innerJoin(serviceGroupMembers, eq(serviceGroupMembers.userId, users.id))
			.innerJoin(serviceGroups, eq(serviceGroups.id, serviceGroupMembers.groupId))
			.where(
				and(
					eq(serviceGroups.serviceCenterId, ticket.serviceCenterId),
					arrayContains(users.roles, ['supervisor'])
				)
			);
		const supervisors = inCentre.length
			? inCentre
			: await db
					.select({ id: users.id })
					.from(users)
					.where(arrayContains(users.roles, ['supervisor']));
		for (const s of supervisors) ids.add(s.id);
	}
	if (ids.size === 0) return [];
	const enabled = await db
		.select({ id: users.id })
		.from(users)
		.where(and(inArray(users.id, [...ids]), eq(users.disabled, false)));
	return enabled.map((u) => u.id);
}

const kindOf = {
	ticket_opened: 'ticket_opened',
	ticket_assigned: 'ticket_assigned',
	ticket_closed: 'ticket_closed',
	sla_warning: 'sla_warning',
	sla_breached: 'sla_breached'
} as const satisfies Record<NotificationEvent, string>;

/**
 * Evaluates the centre's notification rules for an event, inside the transaction of the change
 * that caused it. The user who caused the change is not told about it.
 */
export async function applyNotificationRules(
	tx: Tx,
	event: NotificationEvent,
	ticket: TicketFacts,
	options: { exceptUserId?: string | null; data?: NotificationData } = {}
): Promise<void> {
	const rules = await tx.db
		.select()
		.from(notificationRules)
		.where(
			and(
				eq(notificationRules.serviceCenterId, ticket.serviceCenterId),
				eq(notificationRules.event, event),
				eq(notificationRules.active, true)
			)
		);
	if (rules.length === 0) return;
	const [customer] = await tx.db
		.select({ blocked: customers.blocked, companyName: customers.companyName })
		.from(customers)
		.where(eq(customers.id, ticket.customerId));
	const lineage = rules.some((r) => r.conditions.categoryIds?.length)
		? await categoryLineage(tx.db, ticket.categoryId)
		: [];

	for (const rule of rules) {
		const c = rule.conditions;
		if (c.priorities?.length && !c.priorities.includes(ticket.priority)) continue;
		if (c.origins?.length && !c.origins.includes(ticket.origin)) continue;
		if (c.categoryIds?.length && !c.categoryIds.some((id) => lineage.includes(id))) continue;
		if (c.customerBlocked !== undefined && c.customerBlocked !== customer?.blocked) continue;
		const recipients = (await resolveRecipients(tx.db, rule.recipients, ticket)).filter(
			(id) => id !== options.exceptUserId
		);
		await sendNotifications(tx, recipients, {
			kind: kindOf[event],
			ticketId: ticket.id,
			serviceCenterId: ticket.serviceCenterId,
			data: {
				number: ticket.number,
				title: ticket.title,
				priority: ticket.priority,
				customerName: customer?.companyName,
				ruleName: rule.name,
				...options.data
			}
		});
	}
}
