import { createHash } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './env';
import { badRequest, conflict, databaseErrorOf, toErrorBody } from '../core/errors';
import {
	findIdempotentAnswer,
	pendingAnswer,
	recordIdempotentAnswer,
	type IdempotencyClaim
} from '../core/idempotency';

/** How long a retry waits for its twin's answer to be recorded (it committed a moment ago). */
const pendingWaitMs = 2_000;

const header = 'Idempotency-Key';
const validKey = /^[\x21-\x7e]{1,200}$/;

/** Whether a failure is the unique key of a concurrent twin that committed first. */
function isKeyTaken(error: unknown): boolean {
	const db = databaseErrorOf(error);
	return db?.code === '23505' && db.constraint_name === 'idempotency_keys_user_id_key_pk';
}

/**
 * `Idempotency-Key` on a POST: the first answer is kept a day and a retry with the same key
 * (same user, same request) gets it again, marked `Idempotent-Replayed: true`; the same key
 * with another request is a 409. Runs after the session is known: keys belong to a user.
 */
export const idempotentRetries = createMiddleware<AppEnv>(async (c, next) => {
	const key = c.req.header(header);
	const session = c.var.session;
	if (c.req.method !== 'POST' || key === undefined || !session) return next();
	if (!validKey.test(key)) {
		const { status, body } = toErrorBody(badRequest(`${header}: 1 to 200 visible ASCII characters`, header));
		return c.json(body, status as 400);
	}
	const body: unknown = c.req.header('content-type') ? await c.req.json().catch(() => null) : null;
	const fingerprint = createHash('sha256')
		.update(`${c.req.method} ${c.req.path}\n${JSON.stringify(body)}`)
		.digest('base64url');
	const db = c.var.deps.database.db;

	const replay = async () => {
		let first = await findIdempotentAnswer(db, session.user.id, key);
		// A twin committed but is still answering: wait for its answer rather than replay a draft.
		for (let waited = 0; first?.status === pendingAnswer && waited < pendingWaitMs; waited += 25) {
			await new Promise((resolve) => setTimeout(resolve, 25));
			first = await findIdempotentAnswer(db, session.user.id, key);
		}
		if (!first) return null;
		if (first.fingerprint !== fingerprint) {
			const { status, body } = toErrorBody(
				conflict(`${header}: this key was used for another request`, header)
			);
			return c.json(body, status as 409);
		}
		// Still pending: the first request died after its commit. Its work is done and this is
		// its result; a creating POST answers 201.
		const status = first.status === pendingAnswer ? 201 : first.status;
		return c.json(first.body, status as 201, { 'Idempotent-Replayed': 'true' });
	};
	const earlier = await replay();
	if (earlier) return earlier;

	const claim: IdempotencyClaim = { userId: session.user.id, key, fingerprint, claimed: false };
	c.set('ctx', { ...c.var.ctx, idempotency: claim });
	await next();

	if (isKeyTaken(c.error)) {
		// A twin sent at the same moment committed first; this one rolled back: answer as it did.
		const twin = await replay();
		if (twin) c.res = twin;
		return;
	}
	const status = c.res.status;
	// Errors are not kept: a request refused for a reason that passes may be retried.
	if (status < 200 || status >= 300) return;
	const answer = (await c.res
		.clone()
		.json()
		.catch(() => null)) as unknown;
	await recordIdempotentAnswer(db, claim, { status, body: answer });
});
