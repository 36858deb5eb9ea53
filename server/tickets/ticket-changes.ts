import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { ticketHistory, tickets, users } from '../../db/schema';
import type { Actor } from '../core/context';
import type { DomainEvent } from '../core/events';
import { loadTicketRows } from './ticket-rows';
import type { TicketRow } from './tickets.schemas';
import type { TicketFacts } from '../notifications/notification-rules';

export type Ticket = typeof tickets.$inferSelect;
export type TicketChangeSet = Partial<Omit<typeof tickets.$inferInsert, 'id' | 'version' | 'number'>>;
export type HistoryInput = Omit<typeof ticketHistory.$inferInsert, 'id' | 'ticketId' | 'version' | 'at'>;

export interface TicketTx {
	db: DbOrTx;
	raise: (event: DomainEvent) => void;
}

/** Who the history names: the operator's display name, or the background job's name. */
export async function actorIdentity(db: DbOrTx, actor: Actor): Promise<{ id: string | null; name: string }> {
	if (actor.kind === 'system') return { id: null, name: actor.name };
	if (actor.kind === 'pbx') return { id: null, name: 'PBX' };
	const [user] = await db
		.select({ displayName: users.displayName })
		.from(users)
		.where(eq(users.id, actor.userId));
	return { id: actor.userId, name: user?.displayName ?? actor.username };
}

/**
 * The one way a ticket changes: the row is updated only if it still has the version the change
 * was computed from, the history row is written with the new version, and the queues hear about
 * it after commit. Null when someone else changed the ticket first.
 */
export async function saveTicketChange(
	tx: TicketTx,
	args: { ticket: Ticket; expectVersion: number; set: TicketChangeSet; history: HistoryInput; now: Date }
): Promise<{ ticket: Ticket; row: TicketRow; historyId: string } | null> {
	const [updated] = await tx.db
		.update(tickets)
		.set({ ...args.set, version: sql`${tickets.version} + 1`, updatedAt: args.now })
		.where(and(eq(tickets.id, args.ticket.id), eq(tickets.version, args.expectVersion)))
		.returning();
	if (!updated) return null;
	const [history] = await tx.db
		.insert(ticketHistory)
		.values({ ...args.history, ticketId: updated.id, version: updated.version, at: args.now })
		.returning({ id: ticketHistory.id });
	const [row] = await loadTicketRows(tx.db, [updated.id]);
	tx.raise({ type: 'ticket.changed', ticket: row });
	return { ticket: updated, row, historyId: history.id };
}

/** What notification and assignment rules look at. */
export const factsOf = (t: Ticket): TicketFacts => ({
	id: t.id,
	number: t.number,
	title: t.title,
	serviceCenterId: t.serviceCenterId,
	customerId: t.customerId,
	priority: t.priority,
	origin: t.origin,
	categoryId: t.categoryId,
	ownerId: t.ownerId,
	groupId: t.groupId
});
