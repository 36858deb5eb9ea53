import { and, asc, desc, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import { actionReasons, ticketHistory, tickets, ticketIsOpen } from '../../db/schema';
import type { Ctx } from '../core/context';
import { can } from '../auth/policy';
import { recentCallsOf } from '../calls/calls.service';
import { selectTicketRows, toTicketRow } from '../tickets/ticket-rows';
import { visibleServiceCenterIds } from '../tickets/visibility';
import type { CardReaders, TicketsReader } from './callers.service';

/**
 * The customer's open tickets, most urgent first, through the tickets domain's own row query and
 * visibility rules (a reserved service centre's tickets stay hidden from outsiders: `centres`).
 */
async function openTicketsOf(ctx: Ctx, customerId: string, centres: string[]) {
	const rows = await selectTicketRows(ctx.db)
		.where(and(ticketIsOpen, eq(tickets.customerId, customerId), inArray(tickets.serviceCenterId, centres)))
		.orderBy(sql`${tickets.slaNextDueAt} asc nulls last`, asc(tickets.openedAt))
		.limit(20);
	return rows.map(toTicketRow).map((t) => ({
		id: t.id,
		number: t.number,
		title: t.title,
		status: t.status,
		priority: t.priority,
		machineId: t.machineId,
		openedAt: t.openedAt,
		slaDueAt: t.slaPaused ? null : t.slaNextDueAt,
		slaBreached: t.slaBreached
	}));
}

/** Notes longer than this are cut on the card; the ticket shows them whole. */
const activityNoteChars = 280;

/**
 * What happened lately on the customer's tickets, for the agent who answers: actions with a
 * reason or a note (SLA and rule bookkeeping left out), in the centres the agent may see.
 */
async function recentActivitiesOf(ctx: Ctx, customerId: string, centres: string[]) {
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

/** Both ask which centres the agent may see: once per card. */
const ticketsOf: TicketsReader = async (ctx, customerId) => {
	const centres = can(ctx.actor, 'tickets:read') ? await visibleServiceCenterIds(ctx.db, ctx.actor) : [];
	if (centres.length === 0) return { openTickets: [], recentActivities: [] };
	const [openTickets, recentActivities] = await Promise.all([
		openTicketsOf(ctx, customerId, centres),
		recentActivitiesOf(ctx, customerId, centres)
	]);
	return { openTickets, recentActivities };
};

/**
 * The parts of the landing card that other domains own (open tickets, recent calls), read
 * through their own services so that the card never duplicates their rules.
 */
export const cardReaders: CardReaders = {
	tickets: ticketsOf,
	recentCalls: recentCallsOf
};
