import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { tickets, ticketIsOpen } from '../../db/schema';
import type { Ctx } from '../core/context';
import { can } from '../auth/policy';
import { recentCallsOf } from '../calls/calls.service';
import { selectTicketRows, toTicketRow } from '../tickets/ticket-rows';
import { visibleServiceCenterIds } from '../tickets/visibility';
import type { CardReaders, OpenTicketsReader } from './callers.service';

/**
 * The customer's open tickets, most urgent first, through the tickets domain's own row query and
 * visibility rules (a reserved service centre's tickets stay hidden from outsiders).
 */
const openTicketsOf: OpenTicketsReader = async (ctx: Ctx, customerId: string) => {
	if (!can(ctx.actor, 'tickets:read')) return [];
	const centres = await visibleServiceCenterIds(ctx.db, ctx.actor);
	if (centres.length === 0) return [];
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
};

/**
 * The parts of the landing card that other domains own (open tickets, recent calls), read
 * through their own services so that the card never duplicates their rules.
 */
export const cardReaders: CardReaders = {
	openTickets: openTicketsOf,
	recentCalls: recentCallsOf
};
