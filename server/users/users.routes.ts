import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env';
import { validationHook } from '../http/validation';
import { requireActor } from '../http/session-middleware';
import { errorResponses } from '../http/openapi';
import { auditTrail } from '../audit/audit.schemas';
import { userCreate, userIdParam, userPatch, userView } from './users.schemas';
import * as usersService from './users.service';

const listRoute = createRoute({
	method: 'get',
	path: '/admin/users',
	tags: ['admin'],
	summary: 'All user accounts (administrators only)',
	responses: {
		200: {
			description: 'Users',
			content: { 'application/json': { schema: z.object({ items: z.array(userView) }) } }
		},
		...errorResponses(401, 403)
	}
});

const createUserRoute = createRoute({
	method: 'post',
	path: '/admin/users',
	tags: ['admin'],
	summary: 'Create a user account (administrators only)',
	request: { body: { required: true, content: { 'application/json': { schema: userCreate } } } },
	responses: {
		201: { description: 'Created', content: { 'application/json': { schema: userView } } },
		...errorResponses(400, 401, 403, 409)
	}
});

const getUserRoute = createRoute({
	method: 'get',
	path: '/admin/users/{id}',
	tags: ['admin'],
	summary: 'One user account (administrators only)',
	request: { params: userIdParam },
	responses: {
		200: { description: 'The user', content: { 'application/json': { schema: userView } } },
		...errorResponses(400, 401, 403, 404)
	}
});

const auditRoute = createRoute({
	method: 'get',
	path: '/admin/users/{id}/audit',
	tags: ['admin'],
	summary: "The account's audit trail, newest first: who changed what (never a password)",
	request: { params: userIdParam },
	responses: {
		200: { description: 'The trail', content: { 'application/json': { schema: auditTrail } } },
		...errorResponses(400, 401, 403, 404)
	}
});

const patchUserRoute = createRoute({
	method: 'patch',
	path: '/admin/users/{id}',
	tags: ['admin'],
	summary: 'Edit an account: profile, roles, team, groups, SIP line, password reset, deactivation',
	description:
		'Send the version read (409 when stale). A new `password` or `disabled: true` ends the sessions of the account; a change of rights or SIP line closes its sockets.',
	request: {
		params: userIdParam,
		body: { required: true, content: { 'application/json': { schema: userPatch } } }
	},
	responses: {
		200: { description: 'Saved', content: { 'application/json': { schema: userView } } },
		...errorResponses(400, 401, 403, 404, 409)
	}
});

export const userRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
	.openapi(listRoute, async (c) => {
		requireActor(c);
		return c.json({ items: await usersService.listUsers({ ctx: c.var.ctx, input: undefined }) }, 200);
	})
	.openapi(createUserRoute, async (c) => {
		requireActor(c);
		return c.json(await usersService.createUser({ ctx: c.var.ctx, input: c.req.valid('json') }), 201);
	})
	.openapi(getUserRoute, async (c) => {
		requireActor(c);
		return c.json(await usersService.getUser({ ctx: c.var.ctx, input: c.req.valid('param') }), 200);
	})
	.openapi(auditRoute, async (c) => {
		requireActor(c);
		const items = await usersService.userAuditTrail({ ctx: c.var.ctx, input: c.req.valid('param') });
		return c.json({ items }, 200);
	})
	.openapi(patchUserRoute, async (c) => {
		requireActor(c);
		const { id } = c.req.valid('param');
		return c.json(
			await usersService.updateUser({ ctx: c.var.ctx, input: { id, patch: c.req.valid('json') } }),
			200
		);
	});
