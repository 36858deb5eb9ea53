import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env';
import { validationHook } from '../http/validation';

const healthSchema = z.object({
	status: z.enum(['ok', 'error']),
	db: z.enum(['ok', 'unreachable']),
	/**
	 * Where caller ID answers from: this process's memory, the database while the in-process index
	 * (re)loads, or the database because CALLER_INDEX=off.
	 */
	callerId: z.enum(['memory', 'loading', 'database']),
	reason: z.string().optional()
});

const healthRoute = createRoute({
	method: 'get',
	path: '/health',
	tags: ['health'],
	summary: 'Liveness and database reachability (no authentication)',
	responses: {
		200: { description: 'Healthy', content: { 'application/json': { schema: healthSchema } } },
		503: {
			description: 'The database is unreachable',
			content: { 'application/json': { schema: healthSchema } }
		}
	}
});

export const healthRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(
	healthRoute,
	async (c) => {
		const index = c.var.deps.callerIndex;
		const callerId = !index ? 'database' : index.ready ? 'memory' : 'loading';
		try {
			await Promise.race([
				c.var.deps.database.sql`select 1`,
				new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 2 s')), 2000))
			]);
			return c.json({ status: 'ok' as const, db: 'ok' as const, callerId }, 200);
		} catch (error) {
			const reason = error instanceof Error ? error.message : 'unknown';
			return c.json({ status: 'error' as const, db: 'unreachable' as const, callerId, reason }, 503);
		}
	}
);
