import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env';
import { validationHook } from '../http/validation';
import { requireActor } from '../http/session-middleware';
import { errorResponses } from '../http/openapi';
import {
	customerDetail,
	customerIdParam,
	customerListQuery,
	customerPatch,
	customerSummary
} from './customers.schemas';
import * as customersService from './customers.service';
import { customerReaders } from './customer-readers';

const listRoute = createRoute({
	method: 'get',
	path: '/customers',
	tags: ['customers'],
	summary: 'Customers, filtered by name, VAT number or code, paged',
	request: { query: customerListQuery },
	responses: {
		200: {
			description: 'A page of customers',
			content: {
				'application/json': { schema: z.object({ items: z.array(customerSummary), total: z.number().int() }) }
			}
		},
		...errorResponses(400, 401, 403)
	}
});

const getRoute = createRoute({
	method: 'get',
	path: '/customers/{id}',
	tags: ['customers'],
	summary:
		'A customer with contacts, phones, machines in the field, contracts and their lines, its tickets (open first), their latest activities and its last calls',
	request: { params: customerIdParam },
	responses: {
		200: { description: 'The customer', content: { 'application/json': { schema: customerDetail } } },
		...errorResponses(400, 401, 403, 404)
	}
});

const patchRoute = createRoute({
	method: 'patch',
	path: '/customers/{id}',
	tags: ['customers'],
	summary: 'Edit the master record; send the version you read',
	request: {
		params: customerIdParam,
		body: { required: true, content: { 'application/json': { schema: customerPatch } } }
	},
	responses: {
		200: {
			description: 'Saved; the new version',
			content: { 'application/json': { schema: z.object({ id: z.uuid(), version: z.number().int() }) } }
		},
		...errorResponses(400, 401, 403, 404, 409)
	}
});

export const customerRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
	.openapi(listRoute, async (c) => {
		requireActor(c);
		return c.json(await customersService.listCustomers({ ctx: c.var.ctx, input: c.req.valid('query') }), 200);
	})
	.openapi(getRoute, async (c) => {
		requireActor(c);
		return c.json(
			await customersService.getCustomer({
				ctx: c.var.ctx,
				input: c.req.valid('param'),
				readers: customerReaders
			}),
			200
		);
	})
	.openapi(patchRoute, async (c) => {
		requireActor(c);
		const { id } = c.req.valid('param');
		return c.json(
			await customersService.updateCustomer({ ctx: c.var.ctx, input: { id, patch: c.req.valid('json') } }),
			200
		);
	});
