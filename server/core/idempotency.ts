import { and, eq, lt } from 'drizzle-orm';
import { idempotencyKeys } from '../../db/schema';
import type { DbOrTx } from '../../db/client';

/**
 * A request sent with an `Idempotency-Key`. The first transaction of the request claims the
 * key with the result it commits, as `pendingAnswer` (status 0); the HTTP layer then records
 * the exact answer it sent. A retry finds the key and gets that answer back.
 */
export interface IdempotencyClaim {
	userId: string;
	key: string;
	fingerprint: string;
	claimed: boolean;
}

/** The answer was committed with the work, but the HTTP layer has not recorded it yet. */
export const pendingAnswer = 0;

/** Keys are kept a day: long enough for any client's retries, short enough to stay small. */
export const idempotencyKeyTtlMs = 24 * 3_600_000;

export async function claimInTransaction(db: DbOrTx, claim: IdempotencyClaim, result: unknown) {
	await db.insert(idempotencyKeys).values({
		userId: claim.userId,
		key: claim.key,
		fingerprint: claim.fingerprint,
		status: pendingAnswer,
		body: result === undefined ? null : (JSON.parse(JSON.stringify(result)) as unknown)
	});
}

export async function findIdempotentAnswer(db: DbOrTx, userId: string, key: string) {
	const [row] = await db
		.select()
		.from(idempotencyKeys)
		.where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)));
	return row ?? null;
}

/** Records the answer the client was sent (or would have been): claimed rows are updated. */
export async function recordIdempotentAnswer(
	db: DbOrTx,
	claim: IdempotencyClaim,
	answer: { status: number; body: unknown }
) {
	await db
		.insert(idempotencyKeys)
		.values({ userId: claim.userId, key: claim.key, fingerprint: claim.fingerprint, ...answer })
		.onConflictDoUpdate({
			target: [idempotencyKeys.userId, idempotencyKeys.key],
			set: { status: answer.status, body: answer.body }
		});
}

export async function dropExpiredIdempotencyKeys(db: DbOrTx, now: Date) {
	await db
		.delete(idempotencyKeys)
		.where(lt(idempotencyKeys.createdAt, new Date(now.getTime() - idempotencyKeyTtlMs)));
}
