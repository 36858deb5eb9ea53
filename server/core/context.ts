import type { Database, DbOrTx } from '../../db/client';
import type { Role } from '../../db/schema/identity';
import type { DomainEventBus, DomainEvent } from './events';
import type { CallerIndex } from '../callers/caller-index';
import { claimInTransaction, type IdempotencyClaim } from './idempotency';

/** Who acts: a signed-in user, a background job, or the PBX through its webhook. */
export type Actor =
	| { kind: 'user'; userId: string; username: string; roles: Role[]; teamId: string | null }
	| { kind: 'system'; name: string }
	| { kind: 'pbx' };

export interface Ctx {
	actor: Actor;
	db: DbOrTx;
	events: DomainEventBus;
	/** Exact caller ID from memory, where the server keeps the index (CALLER_INDEX=on). */
	callerIndex?: CallerIndex;
	/** A creating request's Idempotency-Key, claimed by its first transaction. */
	idempotency?: IdempotencyClaim;
}

export interface ServiceArgs<I> {
	ctx: Ctx;
	input: I;
}

/**
 * Runs `work` in one transaction. Domain events raised inside are published only after commit,
 * so a client never hears about a change that was rolled back.
 */
export async function inTransaction<T>(
	ctx: Ctx,
	work: (tx: Ctx & { raise: (event: DomainEvent) => void }) => Promise<T>
): Promise<T> {
	const pending: DomainEvent[] = [];
	const claim = ctx.idempotency && !ctx.idempotency.claimed ? ctx.idempotency : null;
	const result = await (ctx.db as Database).transaction(async (db) => {
		const done = await work({ ...ctx, db, idempotency: undefined, raise: (event) => pending.push(event) });
		// The key commits with what the request created: a retry can never create it twice.
		if (claim) await claimInTransaction(db, claim, done);
		return done;
	});
	if (claim) claim.claimed = true;
	for (const event of pending) ctx.events.publish(event);
	return result;
}
