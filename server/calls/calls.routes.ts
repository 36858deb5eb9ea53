import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env';
import { validationHook } from '../http/validation';
import { requireActor } from '../http/session-middleware';
import { errorResponses } from '../http/openapi';
import { agentStateEntry, callIdParam, callListQuery, callLogEntry, wrapUpInput } from './calls.schemas';
import * as callsService from './calls.service';
import * as agentStatesService from './agent-states.service';

const listRoute = createRoute({
	method: 'get',
	path: '/calls',
	tags: ['calls'],
	summary:
		"Call log: my calls, the missed calls nobody handled yet, or everyone's (supervisors); newest first",
	request: { query: callListQuery },
	responses: {
		200: {
			description: 'Calls, newest first; page on with `before` = the last offeredAt',
			content: { 'application/json': { schema: z.object({ items: z.array(callLogEntry) }) } }
		},
		...errorResponses(400, 401, 403)
	}
});

const getRoute = createRoute({
	method: 'get',
	path: '/calls/{id}',
	tags: ['calls'],
	summary: 'One call of the log',
	request: { params: callIdParam },
	responses: {
		200: { description: 'The call', content: { 'application/json': { schema: callLogEntry } } },
		...errorResponses(400, 401, 403, 404)
	}
});

const wrapUpRoute = createRoute({
	method: 'patch',
	path: '/calls/{id}',
	tags: ['calls'],
	summary:
		"Wrap-up: disposition, note and linked tickets; send the version you read. Ends the agent's wrap-up.",
	request: {
		params: callIdParam,
		body: { required: true, content: { 'application/json': { schema: wrapUpInput } } }
	},
	responses: {
		200: { description: 'Saved', content: { 'application/json': { schema: callLogEntry } } },
		...errorResponses(400, 401, 403, 404, 409)
	}
});

const handledRoute = createRoute({
	method: 'post',
	path: '/calls/{id}/handled',
	tags: ['calls'],
	summary: 'Marks a missed call handled (called back or dismissed): it leaves the missed-calls list',
	request: { params: callIdParam },
	responses: {
		200: { description: 'Handled', content: { 'application/json': { schema: callLogEntry } } },
		...errorResponses(400, 401, 403, 404, 409)
	}
});

const agentStatesRoute = createRoute({
	method: 'get',
	path: '/agent-states',
	tags: ['calls'],
	summary: 'Every agent and their state (supervisors); changes are pushed as `agent:state` on the socket',
	responses: {
		200: {
			description: 'Agents',
			content: { 'application/json': { schema: z.object({ items: z.array(agentStateEntry) }) } }
		},
		...errorResponses(401, 403)
	}
});

const myStateRoute = createRoute({
	method: 'get',
	path: '/agent-states/me',
	tags: ['calls'],
	summary: "The signed-in agent's state; set it with the socket event `agent:state`",
	responses: {
		200: { description: 'My state', content: { 'application/json': { schema: agentStateEntry } } },
		...errorResponses(401, 403)
	}
});

export const callRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
	.openapi(listRoute, async (c) => {
		requireActor(c);
		return c.json(await callsService.listCalls({ ctx: c.var.ctx, input: c.req.valid('query') }), 200);
	})
	.openapi(getRoute, async (c) => {
		requireActor(c);
		return c.json(await callsService.getCall({ ctx: c.var.ctx, input: c.req.valid('param') }), 200);
	})
	.openapi(wrapUpRoute, async (c) => {
		requireActor(c);
		const { id } = c.req.valid('param');
		return c.json(
			await callsService.wrapUpCall({ ctx: c.var.ctx, input: { id, wrapUp: c.req.valid('json') } }),
			200
		);
	})
	.openapi(handledRoute, async (c) => {
		requireActor(c);
		return c.json(await callsService.markCallHandled({ ctx: c.var.ctx, input: c.req.valid('param') }), 200);
	})
	.openapi(agentStatesRoute, async (c) => {
		requireActor(c);
		return c.json(
			{ items: await agentStatesService.listAgentStates({ ctx: c.var.ctx, input: undefined }) },
			200
		);
	})
	.openapi(myStateRoute, async (c) => {
		requireActor(c);
		return c.json(await agentStatesService.getMyAgentState({ ctx: c.var.ctx, input: undefined }), 200);
	});
