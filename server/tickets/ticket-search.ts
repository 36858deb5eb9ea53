import { and, desc, eq, ilike, inArray, like, or, sql, type SQL } from 'drizzle-orm';
import { customers, ticketIsOpen, tickets } from '../../db/schema';
import type { Ctx } from '../core/context';
import { escapeLike } from '../customers/customers.service';
import { visibleServiceCenterIds } from './visibility';

/*
 * The tickets the global search box finds: by number or by the words of the title, in the
 * service centres the ticket desk shows the caller (reserved centres to their members only).
 */

export interface TicketSearchRow {
	id: string;
	number: string;
	title: string;
	customerId: string;
	customerName: string;
	matched: 'number' | 'title';
}

/** Ticket numbers are `<centre code>-<year>-<sequence of 6 digits>`: AT-2026-000123. */
const sequenceDigits = 6;
const pad = (sequence: string) => sequence.padStart(sequenceDigits, '0');

/**
 * How a query may name a ticket number, or null when it cannot: the whole number or its start
 * as typed (`AT-2026-000123`, `at-2026-0001`), the number without its zeros (`AT-2026-123`), or
 * its end as said on the phone (`123`, `000123`, `2026-123`).
 */
export function ticketNumberFilter(
	q: string
): { equals: string[]; prefix: string | null; suffix: string | null } | null {
	const typed = q.trim().toUpperCase().replace(/\s+/g, '-');
	const full = /^([A-Z][A-Z0-9]*)-(\d{4})-(\d{1,6})$/.exec(typed);
	if (full) return { equals: [`${full[1]}-${full[2]}-${pad(full[3])}`], prefix: typed, suffix: null };
	if (/^[A-Z][A-Z0-9]*-[\d-]*$/.test(typed)) return { equals: [], prefix: typed, suffix: null };
	const tail = /^(?:(\d{4})-)?(\d{1,6})$/.exec(typed);
	if (tail) return { equals: [], prefix: null, suffix: `-${tail[1] ? `${tail[1]}-` : ''}${pad(tail[2])}` };
	return null;
}

/** The words a title must all contain (in any order and case); one-letter words say nothing. */
export function titleWords(q: string): string[] {
	const words = q.trim().split(/\s+/).filter(Boolean);
	const meaningful = words.filter((w) => w.length >= 2);
	return meaningful.length > 0 ? meaningful : words;
}

/**
 * Tickets whose number or title matches `q`, open ones first, then the newest; number matches
 * before title matches. Nothing for a caller who may not read tickets.
 */
export async function searchTickets(
	ctx: Pick<Ctx, 'db' | 'actor'>,
	input: { q: string; limit: number }
): Promise<TicketSearchRow[]> {
	const centerIds = await visibleServiceCenterIds(ctx.db, ctx.actor);
	if (centerIds.length === 0) return [];
	const numberFilter = ticketNumberFilter(input.q);
	const byNumber = numberFilter
		? or(
				...numberFilter.equals.map((n) => eq(tickets.number, n)),
				numberFilter.prefix === null
					? undefined
					: like(tickets.number, `${escapeLike(numberFilter.prefix)}%`),
				numberFilter.suffix === null ? undefined : like(tickets.number, `%${escapeLike(numberFilter.suffix)}`)
			)
		: undefined;
	const byTitle = and(...titleWords(input.q).map((w) => ilike(tickets.title, `%${escapeLike(w)}%`)));
	const find = (where: SQL | undefined) =>
		ctx.db
			.select({
				id: tickets.id,
				number: tickets.number,
				title: tickets.title,
				customerId: tickets.customerId,
				customerName: customers.companyName
			})
			.from(tickets)
			.innerJoin(customers, eq(customers.id, tickets.customerId))
			.where(and(inArray(tickets.serviceCenterId, centerIds), where))
			.orderBy(sql`${ticketIsOpen} desc`, desc(tickets.openedAt), desc(tickets.id))
			.limit(input.limit);
	const [numberRows, titleRows] = await Promise.all([byNumber ? find(byNumber) : [], find(byTitle)]);
	const seen = new Set(numberRows.map((r) => r.id));
	return [
		...numberRows.map((r) => ({ ...r, matched: 'number' as const })),
		...titleRows.filter((r) => !seen.has(r.id)).map((r) => ({ ...r, matched: 'title' as const }))
	].slice(0, input.limit);
}
