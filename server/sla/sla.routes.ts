import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env';
import { validationHook } from '../http/validation';
import { requireActor } from '../http/session-middleware';
import { errorResponses } from '../http/openapi';
import { slaPreviewInput, slaPreviewResult } from './sla.schemas';
import { previewSla } from './sla.service';

const previewRoute = createRoute({
	method: 'post',
	path: '/sla/preview',
	tags: ['sla'],
	summary: "Deadlines a ticket opened at `openedAt` would get on the centre's business calendar",
	description:
		"With the saved policy, or with a draft `calendar` and/or `target` to check a policy before saving it. Instants are ISO 8601 with the calendar's offset.",
	request: { body: { required: true, content: { 'application/json': { schema: slaPreviewInput } } } },
	responses: {
		200: { description: 'The deadlines', content: { 'application/json': { schema: slaPreviewResult } } },
		...errorResponses(400, 401, 403, 404)
	}
});

export const slaRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(
	previewRoute,
	async (c) => {
		requireActor(c);
		return c.json(await previewSla({ ctx: c.var.ctx, input: c.req.valid('json') }), 200);
	}
);
