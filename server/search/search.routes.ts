import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env';
import { validationHook } from '../http/validation';
import { requireActor } from '../http/session-middleware';
import { errorResponses } from '../http/openapi';
import { searchQuery, searchResult } from './search.schemas';
import { globalSearch } from './search.service';

const searchRoute = createRoute({
	method: 'get',
	path: '/search',
	tags: ['search'],
	summary:
		'Global search: customers by name, VAT, city or code; contacts by name; machines by serial; tickets by number or title words (in the service centres the caller sees); anyone by phone number in any format',
	request: { query: searchQuery },
	responses: {
		200: { description: 'Hits, best first', content: { 'application/json': { schema: searchResult } } },
		...errorResponses(400, 401, 403)
	}
});

export const searchRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(
	searchRoute,
	async (c) => {
		requireActor(c);
		const result = await globalSearch({
			ctx: c.var.ctx,
			input: c.req.valid('query'),
			defaultCountry: c.var.deps.config.defaultCountry
		});
		return c.json(result, 200);
	}
);
