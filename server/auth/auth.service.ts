import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import { loginFailures, sessions, users } from '../../db/schema';
import type { Database } from '../../db/client';
import { inTransaction, type Ctx, type ServiceArgs } from '../core/context';
import { rateLimited, unauthorized } from '../core/errors';
import { decoyHash, verifyPassword } from './password';
import type { LoginInput, SessionUser } from './auth.schemas';
import type { Role } from '../../db/schema/identity';

export interface SessionPolicy {
	idleMs: number;
	absoluteMs: number;
}
export interface LoginPolicy {
	session: SessionPolicy;
	loginThrottle: { maxFailures: number; windowMs: number };
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

const userColumns = {
	id: users.id,
	username: users.username,
	displayName: users.displayName,
	roles: users.roles,
	locale: users.locale,
	teamId: users.teamId,
	sipExtension: users.sipExtension,
	disabled: users.disabled
};

export function toSessionUser(row: SessionUserRow): SessionUser {
	return {
		id: row.id,
		username: row.username,
		displayName: row.displayName,
		roles: row.roles,
		locale: row.locale,
		teamId: row.teamId,
		sipExtension: row.sipExtension
	};
}
type SessionUserRow = {
	id: string;
	username: string;
	displayName: string;
	roles: Role[];
	locale: 'it' | 'en';
	teamId: string | null;
	sipExtension: string | null;
};

/**
 * Checks the credentials and opens a session. Every attempt first reserves a failure for its
 * username and address in PostgreSQL, and only a reserved attempt gets its password checked:
 * a burst of concurrent guesses cannot outrun the limit, on one server process or several.
 * The limits are per address, so a guesser elsewhere slows down only themselves, never the
 * user they are guessing at.
 */
export async function login({
	ctx,
	input,
	policy
}: ServiceArgs<LoginInput & { address: string; userAgent: string | null }> & { policy: LoginPolicy }) {
	await reserveLoginAttempt(ctx, { ...input, ...policy.loginThrottle });
	const [user] = await ctx.db
		.select({ ...userColumns, passwordHash: users.passwordHash })
		.from(users)
		.where(eq(sql`lower(${users.username})`, input.username.toLowerCase()));
	const ok = await verifyPassword(input.password, user?.passwordHash ?? (await decoyHash()));
	// A wrong attempt keeps its reservation: it is the failure that counts.
	if (!user || !ok || user.disabled) throw unauthorized('Wrong username or password');

	const token = randomBytes(32).toString('base64url');
	await inTransaction(ctx, async ({ db }) => {
		// The user got in from here: their failures from this address, this attempt's reservation
		// included, no longer count. Failures from other addresses stay.
		await db
			.delete(loginFailures)
			.where(
				and(
					eq(sql`lower(${loginFailures.username})`, user.username.toLowerCase()),
					eq(loginFailures.address, input.address)
				)
			);
		await db.insert(sessions).values({
			idHash: hashToken(token),
			userId: user.id,
			expiresAt: new Date(Date.now() + policy.session.absoluteMs),
			userAgent: input.userAgent?.slice(0, 300) ?? null,
			address: input.address
		});
	});
	return { token, user: toSessionUser(user) };
}

/**
 * Counts the recent failures of this username from this address and of the address as a whole
 * and, under the limits, records this attempt as a failure (undone if the password is right).
 * The count and the insert hold one address's advisory lock, so concurrent attempts queue.
 */
async function reserveLoginAttempt(
	ctx: Ctx,
	input: { username: string; address: string; maxFailures: number; windowMs: number }
): Promise<void> {
	const since = new Date(Date.now() - input.windowMs);
	// Failures older than the window no longer count: drop them so the table stays small.
	await ctx.db.delete(loginFailures).where(lt(loginFailures.at, since));
	return inTransaction(ctx, async ({ db }) => {
		await db.execute(
			sql`select pg_advisory_xact_lock(hashtext('login-failures'), hashtext(${input.address}))`
		);
		const [{ byUser, byAddress }] = await db
			.select({
				byUser: sql<number>`count(*) filter (where lower(${loginFailures.username}) = ${input.username.toLowerCase()})::int`,
				byAddress: sql<number>`count(*)::int`
			})
			.from(loginFailures)
			.where(and(eq(loginFailures.address, input.address), gt(loginFailures.at, since)));
		// An address may try several usernames (a shared office NAT), hence the wider allowance.
		if (byUser >= input.maxFailures || byAddress >= input.maxFailures * 4) {
			throw rateLimited('Too many sign-in attempts: try again in a few minutes');
		}
		await db.insert(loginFailures).values({ username: input.username, address: input.address });
	});
}

export interface ResolvedSession {
	sessionHash: string;
	user: SessionUser;
	/** The absolute end of the session, whatever its activity. */
	expiresAt: Date;
}

/** Looks a cookie token up; enforces the idle and absolute timeouts and slides the idle one. */
export async function resolveSession(
	db: Database,
	token: string,
	policy: SessionPolicy
): Promise<ResolvedSession | null> {
	const idHash = hashToken(token);
	const now = Date.now();
	const [row] = await db
		.select({ ...userColumns, lastSeenAt: sessions.lastSeenAt, expiresAt: sessions.expiresAt })
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(eq(sessions.idHash, idHash));
	if (!row) return null;
	if (row.disabled || row.expiresAt.getTime() <= now || now - row.lastSeenAt.getTime() > policy.idleMs) {
		await db.delete(sessions).where(eq(sessions.idHash, idHash));
		return null;
	}
	// Writing on every request would cost a row update per call; a minute of precision is plenty.
	if (now - row.lastSeenAt.getTime() > 60_000) {
		await db
			.update(sessions)
			.set({ lastSeenAt: new Date(now) })
			.where(eq(sessions.idHash, idHash));
	}
	return { sessionHash: idHash, user: toSessionUser(row), expiresAt: row.expiresAt };
}

export async function logout({ ctx, input }: ServiceArgs<{ sessionHash: string; userId: string }>) {
	await inTransaction(ctx, async ({ db, raise }) => {
		await db
			.delete(sessions)
			.where(and(eq(sessions.idHash, input.sessionHash), eq(sessions.userId, input.userId)));
		raise({ type: 'session.revoked', sessionHash: input.sessionHash });
	});
}

export async function setLocale({ ctx, input }: ServiceArgs<{ locale: 'it' | 'en' }>) {
	if (ctx.actor.kind !== 'user') throw unauthorized();
	const userId = ctx.actor.userId;
	await ctx.db.update(users).set({ locale: input.locale, updatedAt: new Date() }).where(eq(users.id, userId));
	return { locale: input.locale };
}

export function actorOf(user: SessionUser): Ctx['actor'] {
	return { kind: 'user', userId: user.id, username: user.username, roles: user.roles, teamId: user.teamId };
}
