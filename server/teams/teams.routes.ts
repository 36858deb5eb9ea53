import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env';
import { validationHook } from '../http/validation';
import { requireActor } from '../http/session-middleware';
import { errorResponses } from '../http/openapi';
import { teamView } from './teams.schemas';
import { listTeams } from './teams.service';

const listRoute = createRoute({
	method: 'get',
	path: '/admin/teams',
	tags: ['admin'],
	summary: 'All teams (administrators only)',
	responses: {
		200: {
			description: 'Teams',
			content: { 'application/json': { schema: z.object({ items: z.array(teamView) }) } }
		},
		...errorResponses(401, 403)
	}
});

export const teamRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(
	listRoute,
	async (c) => {
		requireActor(c);
		return c.json({ items: await listTeams({ ctx: c.var.ctx, input: undefined }) }, 200);
	}
);
