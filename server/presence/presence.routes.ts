import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env';
import { validationHook } from '../http/validation';
import { requireActor } from '../http/session-middleware';
import { errorResponses } from '../http/openapi';
import { listPresence } from './presence.service';

const presenceEntry = z.object({
	userId: z.uuid(),
	username: z.string(),
	roles: z.array(z.string()),
	teamId: z.uuid().nullable(),
	online: z.boolean(),
	at: z.string()
});

const presenceRoute = createRoute({
	method: 'get',
	path: '/presence',
	tags: ['presence'],
	summary: 'Users connected right now (supervisors and administrators)',
	responses: {
		200: {
			description: 'Online users',
			content: { 'application/json': { schema: z.object({ items: z.array(presenceEntry) }) } }
		},
		...errorResponses(401, 403)
	}
});

export const presenceRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(
	presenceRoute,
	async (c) => {
		requireActor(c);
		return c.json(
			{ items: await listPresence({ ctx: c.var.ctx, input: undefined, directory: c.var.deps.presence }) },
			200
		);
	}
);
