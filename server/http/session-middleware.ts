import { createMiddleware } from 'hono/factory';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { getConnInfo } from '@hono/node-server/conninfo';
import { actorOf, resolveSession } from '../auth/auth.service';
import type { AppContext, AppEnv } from './env';
import type { Permission } from '../auth/policy';
import { authorize } from '../auth/policy';
import { unauthorized } from '../core/errors';
import type { Actor } from '../core/context';

export const SESSION_COOKIE = 'fl_session';

/** Resolves the session cookie into `c.var.session` and a service context in `c.var.ctx`. */
export const sessionMiddleware = createMiddleware<AppEnv>(async (c, next) => {
	const { database, events, config, sessionSecret, callerIndex } = c.var.deps;
	const token = await getSignedCookie(c, sessionSecret, SESSION_COOKIE);
	const session = token ? await resolveSession(database.db, token, config.session) : null;
	if (token !== undefined && !session) deleteCookie(c, SESSION_COOKIE, { path: '/' });
	c.set('session', session);
	c.set('ctx', { actor: session ? actorOf(session.user) : anonymous, db: database.db, events, callerIndex });
	await next();
});

// An anonymous caller is a user with no roles: `authorize` refuses it everything.
const anonymous: Actor = { kind: 'user', userId: '', username: '', roles: [], teamId: null };

/** The signed-in actor, or 401. With a permission: 403 unless the role grants it. */
export function requireActor(c: AppContext, permission?: Permission) {
	const session = c.var.session;
	if (!session) throw unauthorized();
	if (permission) authorize(c.var.ctx.actor, permission);
	return session;
}

export async function setSessionCookie(c: AppContext, token: string) {
	const { config, sessionSecret } = c.var.deps;
	await setSignedCookie(c, SESSION_COOKIE, token, sessionSecret, {
		path: '/',
		httpOnly: true,
		sameSite: 'Lax',
		secure: isHttps(c),
		maxAge: Math.floor(config.session.absoluteMs / 1000)
	});
}

export function clearSessionCookie(c: AppContext) {
	deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c) });
}

function isHttps(c: AppContext): boolean {
	const { config } = c.var.deps;
	if (config.trustedProxies > 0 && c.req.header('x-forwarded-proto') === 'https') return true;
	return new URL(c.req.url).protocol === 'https:' || config.publicOrigin.startsWith('https:');
}

export function clientAddress(c: AppContext): string {
	const forwarded = forwardedClientAddress(c.req.header('x-forwarded-for'), c.var.deps.config.trustedProxies);
	if (forwarded) return forwarded;
	try {
		return getConnInfo(c).remote.address ?? 'unknown';
	} catch {
		return 'unknown';
	}
}

/**
 * The client's address in X-Forwarded-For behind `trustedProxies` proxies. Each proxy appends
 * the address it saw, so only the right-most `trustedProxies` entries were written by proxies
 * we trust: the one furthest left among them is the client. Entries left of it are the
 * client's own say and are ignored.
 */
export function forwardedClientAddress(header: string | undefined, trustedProxies: number) {
	if (trustedProxies < 1 || !header) return undefined;
	const hops = header
		.split(',')
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
	// Fewer entries than proxies: the request came in past the outer ones; every entry is trusted.
	return hops[Math.max(hops.length - trustedProxies, 0)];
}
