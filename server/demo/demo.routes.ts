import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env';
import { validationHook } from '../http/validation';
import { requireActor } from '../http/session-middleware';
import { errorResponses } from '../http/openapi';
import { demoCallInput, demoCallStarted, demoCallStreamInput, demoStatus } from './demo.schemas';
import * as demoService from './demo.service';

const startCallRoute = createRoute({
	method: 'post',
	path: '/demo/calls',
	tags: ['demo'],
	summary:
		'Demo switchboard only: a simulated customer calls an extension, or the ACD (longest idle available agent first)',
	description:
		'An agent asks for a call to itself (`to` missing or its own extension); a supervisor or administrator to any extension, or to the ACD when `to` is missing. 409 when the target is not registered or not available; 404 when a real PBX is configured (SIP_WS_URL).',
	request: { body: { required: false, content: { 'application/json': { schema: demoCallInput } } } },
	responses: {
		202: {
			description: 'The customer is calling',
			content: { 'application/json': { schema: demoCallStarted } }
		},
		...errorResponses(400, 401, 403, 404, 409)
	}
});

const statusRoute = createRoute({
	method: 'get',
	path: '/demo/status',
	tags: ['demo'],
	summary: 'Demo switchboard: registered extensions, reachable agents, the call stream',
	responses: {
		200: { description: 'Now', content: { 'application/json': { schema: demoStatus } } },
		...errorResponses(401, 403, 404)
	}
});

const streamRoute = createRoute({
	method: 'put',
	path: '/demo/call-stream',
	tags: ['demo'],
	summary: 'Demo switchboard: start (every N seconds) or stop (null) a stream of simulated ACD calls',
	request: { body: { required: true, content: { 'application/json': { schema: demoCallStreamInput } } } },
	responses: {
		200: { description: 'The switchboard now', content: { 'application/json': { schema: demoStatus } } },
		...errorResponses(400, 401, 403, 404)
	}
});

export const demoRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
	.openapi(startCallRoute, async (c) => {
		requireActor(c);
		// The body is optional: `{}` or nothing at all means "to me" (agent) or "to the ACD".
		const input = c.req.valid('json') ?? {};
		const started = await demoService.startDemoCall({ ctx: c.var.ctx, input, demo: c.var.deps.demoCalls });
		return c.json(started, 202);
	})
	.openapi(statusRoute, async (c) => {
		requireActor(c);
		return c.json(
			await demoService.getDemoStatus({ ctx: c.var.ctx, input: undefined, demo: c.var.deps.demoCalls }),
			200
		);
	})
	.openapi(streamRoute, async (c) => {
		requireActor(c);
		const status = await demoService.setDemoCallStream({
			ctx: c.var.ctx,
			input: c.req.valid('json'),
			demo: c.var.deps.demoCalls
		});
		return c.json(status, 200);
	});
