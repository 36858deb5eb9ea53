import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { tickets, ticketIsOpen } from '../../db/schema';
import type { Ctx } from '../core/context';
import { recentCallsOf } from '../calls/calls.service';
import { readableCentres, recentActivitiesOf } from '../tickets/customer-tickets';
import { selectTicketRows, toTicketRow } from '../tickets/ticket-rows';
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

/** Both ask which centres the agent may see: once per card. */
const ticketsOf: TicketsReader = async (ctx, customerId) => {
	const centres = await readableCentres(ctx);
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
