import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env';
import { validationHook } from '../http/validation';
import { requireActor } from '../http/session-middleware';
import { errorResponses } from '../http/openapi';
import {
	callerCard,
	callerMatch,
	callerSuggestion,
	cardQuery,
	lookupQuery,
	lookupResult,
	quickCreateInput,
	screenPopQuery,
	screenPopResult,
	suggestionsQuery
} from './callers.schemas';
import * as callersService from './callers.service';
import { cardReaders } from './card-readers';

const lookupRoute = createRoute({
	method: 'get',
	path: '/callers/lookup',
	tags: ['callers'],
	summary:
		'Caller ID: customers, contacts, prospects and technicians owning a number in any format (E.164, national, sip: URI); exact matches first, then national-number suffix matches',
	request: { query: lookupQuery },
	responses: {
		200: { description: 'Matches, exact first', content: { 'application/json': { schema: lookupResult } } },
		...errorResponses(400, 401, 403)
	}
});

const cardRoute = createRoute({
	method: 'get',
	path: '/callers/card',
	tags: ['callers'],
	summary:
		'The landing card of a caller in one request: customer, the calling contact, machines in the field, active contracts, open tickets with SLA deadlines, last calls',
	request: { query: cardQuery },
	responses: {
		200: { description: 'The card', content: { 'application/json': { schema: callerCard } } },
		...errorResponses(400, 401, 403, 404)
	}
});

const suggestionsRoute = createRoute({
	method: 'get',
	path: '/callers/suggestions',
	tags: ['callers'],
	summary:
		'Fuzzy suggestions (customers, contacts, prospects) from the name the PBX sent with an unknown number',
	request: { query: suggestionsQuery },
	responses: {
		200: {
			description: 'Best first',
			content: { 'application/json': { schema: z.object({ items: z.array(callerSuggestion) }) } }
		},
		...errorResponses(400, 401, 403)
	}
});

const quickCreateRoute = createRoute({
	method: 'post',
	path: '/callers',
	tags: ['callers'],
	summary: 'Quick-create from a call: a prospect, or a new contact of an existing customer, with the number',
	request: { body: { required: true, content: { 'application/json': { schema: quickCreateInput } } } },
	responses: {
		201: {
			description: 'Created; the new caller match',
			content: { 'application/json': { schema: callerMatch } }
		},
		...errorResponses(400, 401, 403, 404)
	}
});

const screenPopRoute = createRoute({
	method: 'get',
	path: '/callers/screen-pop',
	tags: ['callers'],
	summary:
		'A ringing call in one round trip: the lookup, the landing card of the only match, or suggestions from the PBX name for an unknown number',
	request: { query: screenPopQuery },
	responses: {
		200: { description: 'The screen pop', content: { 'application/json': { schema: screenPopResult } } },
		...errorResponses(400, 401, 403)
	}
});

export const callerRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
	.openapi(lookupRoute, async (c) => {
		requireActor(c);
		const result = await callersService.lookupCaller({
			ctx: c.var.ctx,
			input: c.req.valid('query'),
			defaultCountry: c.var.deps.config.defaultCountry
		});
		return c.json(result, 200);
	})
	.openapi(cardRoute, async (c) => {
		requireActor(c);
		return c.json(
			await callersService.getCallerCard({
				ctx: c.var.ctx,
				input: c.req.valid('query'),
				readers: cardReaders
			}),
			200
		);
	})
	.openapi(suggestionsRoute, async (c) => {
		requireActor(c);
		return c.json(
			{ items: await callersService.suggestCallers({ ctx: c.var.ctx, input: c.req.valid('query') }) },
			200
		);
	})
	.openapi(quickCreateRoute, async (c) => {
		requireActor(c);
		const created = await callersService.quickCreateCaller({
			ctx: c.var.ctx,
			input: c.req.valid('json'),
			defaultCountry: c.var.deps.config.defaultCountry
		});
		return c.json(created, 201);
	})
	.openapi(screenPopRoute, async (c) => {
		requireActor(c);
		const result = await callersService.screenPop({
			ctx: c.var.ctx,
			input: c.req.valid('query'),
			defaultCountry: c.var.deps.config.defaultCountry,
			readers: cardReaders
		});
		return c.json(result, 200);
	});
