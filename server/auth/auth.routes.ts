import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env';
import { validationHook } from '../http/validation';
import {
	clearSessionCookie,
	clientAddress,
	requireActor,
	setSessionCookie
} from '../http/session-middleware';
import { errorResponses } from '../http/openapi';
import { loginInput, preferencesInput, sessionUser } from './auth.schemas';
import * as auth from './auth.service';

const userEnvelope = z.object({ user: sessionUser });
/** The sign-in page asks who is signed in: nobody is an answer, not an error. */
const sessionEnvelope = z.object({ user: sessionUser.nullable() });

const loginRoute = createRoute({
	method: 'post',
	path: '/auth/login',
	tags: ['auth'],
	summary: 'Sign in with username and password; sets the httpOnly session cookie',
	request: { body: { required: true, content: { 'application/json': { schema: loginInput } } } },
	responses: {
		200: { description: 'Signed in', content: { 'application/json': { schema: userEnvelope } } },
		...errorResponses(400, 401, 429)
	}
});

const logoutRoute = createRoute({
	method: 'post',
	path: '/auth/logout',
	tags: ['auth'],
	summary: 'Sign out: ends the session and disconnects its sockets',
	responses: { 204: { description: 'Signed out' }, ...errorResponses(401) }
});

const meRoute = createRoute({
	method: 'get',
	path: '/me',
	tags: ['auth'],
	summary: 'The signed-in user',
	responses: {
		200: { description: 'The user', content: { 'application/json': { schema: userEnvelope } } },
		...errorResponses(401)
	}
});

const sessionRoute = createRoute({
	method: 'get',
	path: '/auth/session',
	tags: ['auth'],
	summary: 'Who is signed in, if anyone: the user, or null without a session (never 401)',
	responses: {
		200: {
			description: 'The user, or null',
			content: { 'application/json': { schema: sessionEnvelope } }
		}
	}
});

const preferencesRoute = createRoute({
	method: 'patch',
	path: '/me/preferences',
	tags: ['auth'],
	summary: "Change the signed-in user's preferences (language)",
	request: { body: { required: true, content: { 'application/json': { schema: preferencesInput } } } },
	responses: {
		200: { description: 'Saved', content: { 'application/json': { schema: preferencesInput } } },
		...errorResponses(400, 401)
	}
});

export const authRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
	.openapi(loginRoute, async (c) => {
		const input = c.req.valid('json');
		const { token, user } = await auth.login({
			ctx: c.var.ctx,
			input: { ...input, address: clientAddress(c), userAgent: c.req.header('user-agent') ?? null },
			policy: c.var.deps.config
		});
		await setSessionCookie(c, token);
		return c.json({ user }, 200);
	})
	.openapi(logoutRoute, async (c) => {
		const session = requireActor(c);
		await auth.logout({
			ctx: c.var.ctx,
			input: { sessionHash: session.sessionHash, userId: session.user.id }
		});
		clearSessionCookie(c);
		return c.body(null, 204);
	})
	.openapi(meRoute, (c) => {
		const session = requireActor(c);
		return c.json({ user: session.user }, 200);
	})
	.openapi(sessionRoute, (c) => c.json({ user: c.var.session?.user ?? null }, 200))
	.openapi(preferencesRoute, async (c) => {
		requireActor(c);
		const saved = await auth.setLocale({ ctx: c.var.ctx, input: c.req.valid('json') });
		return c.json(saved, 200);
	});
