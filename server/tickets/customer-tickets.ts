import { and, asc, desc, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import { actionReasons, ticketHistory, tickets, ticketIsOpen } from '../../db/schema';
import type { Ctx } from '../core/context';
import { can } from '../auth/policy';
import { selectTicketRows, toTicketRow } from './ticket-rows';
import { visibleServiceCenterIds } from './visibility';
import type { TicketRow } from './tickets.schemas';

/*
 * The tickets domain's read models of one customer, for the screens that show a customer (the
 * landing card, the customer page): always within the centres the reader may see, so a reserved
 * service centre's tickets stay hidden from outsiders.
 */

/** The centres whose tickets the actor may read: none without the permission. */
export async function readableCentres(ctx: Ctx): Promise<string[]> {
	return can(ctx.actor, 'tickets:read') ? visibleServiceCenterIds(ctx.db, ctx.actor) : [];
}

/** How many of a customer's tickets the customer page lists. */
const customerTicketsShown = 50;

/**
 * A customer's tickets as queue rows: the open ones first, most urgent deadline first, then the
 * resolved and closed ones, newest first.
 */
export async function ticketsOfCustomer(
	ctx: Ctx,
	customerId: string,
	centres: string[]
): Promise<TicketRow[]> {
	if (centres.length === 0) return [];
	const rows = await selectTicketRows(ctx.db)
		.where(and(eq(tickets.customerId, customerId), inArray(tickets.serviceCenterId, centres)))
		.orderBy(
			sql`(${ticketIsOpen}) desc`,
			sql`${tickets.slaNextDueAt} asc nulls last`,
			desc(tickets.openedAt),
			asc(tickets.number)
		)
		.limit(customerTicketsShown);
	return rows.map(toTicketRow);
}

/** Notes longer than this are cut in the list; the ticket shows them whole. */
const activityNoteChars = 280;

/**
 * What happened lately on the customer's tickets: actions with a reason or a note (SLA and rule
 * bookkeeping left out), newest first.
 */
export async function recentActivitiesOf(ctx: Ctx, customerId: string, centres: string[]) {
	if (centres.length === 0) return [];
	const rows = await ctx.db
		.select({
			id: ticketHistory.id,
			ticketId: tickets.id,
			ticketNumber: tickets.number,
			at: ticketHistory.at,
			actorName: ticketHistory.actorName,
			kind: ticketHistory.kind,
			reasonName: actionReasons.name,
			note: sql<string | null>`left(${ticketHistory.note}, ${activityNoteChars})`,
			channel: ticketHistory.channel
		})
		.from(ticketHistory)
		.innerJoin(tickets, eq(tickets.id, ticketHistory.ticketId))
		.leftJoin(actionReasons, eq(actionReasons.id, ticketHistory.reasonId))
		.where(
			and(
				eq(tickets.customerId, customerId),
				inArray(tickets.serviceCenterId, centres),
				or(
					eq(ticketHistory.kind, 'created'),
					isNotNull(ticketHistory.reasonId),
					isNotNull(ticketHistory.note)
				)
			)
		)
		.orderBy(desc(ticketHistory.at))
		.limit(8);
	return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
}
