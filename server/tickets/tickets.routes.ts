import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env';
import { validationHook } from '../http/validation';
import { requireActor } from '../http/session-middleware';
import { errorResponses } from '../http/openapi';
import {
	serviceCenterView,
	ticketAction,
	ticketCounts,
	ticketCountsQuery,
	ticketCreate,
	ticketDetail,
	ticketIdParam,
	ticketList,
	ticketListQuery
} from './tickets.schemas';
import * as ticketsService from './tickets.service';
import { listServiceCenters } from './service-centers.service';

const createTicketRoute = createRoute({
	method: 'post',
	path: '/tickets',
	tags: ['tickets'],
	summary: 'Open a ticket: number, contract, assignment and SLA deadlines are set by the server',
	request: { body: { required: true, content: { 'application/json': { schema: ticketCreate } } } },
	responses: {
		201: {
			description: 'The new ticket with its history',
			content: { 'application/json': { schema: ticketDetail } }
		},
		...errorResponses(400, 401, 403)
	}
});

const listRoute = createRoute({
	method: 'get',
	path: '/tickets',
	tags: ['tickets'],
	summary: 'A queue view (to_take, mine, my_groups, to_assign, open, breached), most urgent SLA first, paged',
	description:
		'The snapshot a queue screen loads, and reloads when its socket reconnects without recovery. Live changes then arrive as `ticket:changed` with the same row shape.',
	request: { query: ticketListQuery },
	responses: {
		200: { description: 'A page of queue rows', content: { 'application/json': { schema: ticketList } } },
		...errorResponses(400, 401, 403)
	}
});

const countsRoute = createRoute({
	method: 'get',
	path: '/tickets/counts',
	tags: ['tickets'],
	summary: 'How many open tickets each queue view holds',
	request: { query: ticketCountsQuery },
	responses: {
		200: { description: 'Counts per view', content: { 'application/json': { schema: ticketCounts } } },
		...errorResponses(400, 401, 403)
	}
});

const getRoute = createRoute({
	method: 'get',
	path: '/tickets/{id}',
	tags: ['tickets'],
	summary: 'A ticket with its history and the action reasons the caller may use now',
	request: { params: ticketIdParam },
	responses: {
		200: { description: 'The ticket', content: { 'application/json': { schema: ticketDetail } } },
		...errorResponses(400, 401, 403, 404)
	}
});

const actionRoute = createRoute({
	method: 'post',
	path: '/tickets/{id}/actions',
	tags: ['tickets'],
	summary: 'Apply an action reason (causale); send the version you read',
	description:
		'Changes status, owner or group as the action reason says and writes a history row. A stale `version` (someone else acted first) gets 409 and changes nothing.',
	request: {
		params: ticketIdParam,
		body: { required: true, content: { 'application/json': { schema: ticketAction } } }
	},
	responses: {
		200: {
			description: 'The ticket after the action',
			content: { 'application/json': { schema: ticketDetail } }
		},
		...errorResponses(400, 401, 403, 404, 409)
	}
});

const serviceCentersRoute = createRoute({
	method: 'get',
	path: '/service-centers',
	tags: ['tickets'],
	summary: 'Service centres the caller may see, with groups, categories, action reasons and SLA policy',
	responses: {
		200: {
			description: 'Service centres',
			content: { 'application/json': { schema: z.object({ items: z.array(serviceCenterView) }) } }
		},
		...errorResponses(401, 403)
	}
});

export const ticketRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
	.openapi(createTicketRoute, async (c) => {
		requireActor(c);
		return c.json(await ticketsService.createTicket({ ctx: c.var.ctx, input: c.req.valid('json') }), 201);
	})
	.openapi(listRoute, async (c) => {
		requireActor(c);
		return c.json(await ticketsService.listTickets({ ctx: c.var.ctx, input: c.req.valid('query') }), 200);
	})
	.openapi(countsRoute, async (c) => {
		requireActor(c);
		return c.json(await ticketsService.countTickets({ ctx: c.var.ctx, input: c.req.valid('query') }), 200);
	})
	.openapi(getRoute, async (c) => {
		requireActor(c);
		return c.json(await ticketsService.getTicket({ ctx: c.var.ctx, input: c.req.valid('param') }), 200);
	})
	.openapi(actionRoute, async (c) => {
		requireActor(c);
		const { id } = c.req.valid('param');
		return c.json(
			await ticketsService.performAction({ ctx: c.var.ctx, input: { id, action: c.req.valid('json') } }),
			200
		);
	})
	.openapi(serviceCentersRoute, async (c) => {
		requireActor(c);
		return c.json({ items: await listServiceCenters({ ctx: c.var.ctx, input: undefined }) }, 200);
	});
