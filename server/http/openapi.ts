import { z } from '@hono/zod-openapi';

export const errorSchema = z
	.object({
		error: z.object({
			code: z.enum([
				'bad_request',
				'unauthorized',
				'forbidden',
				'not_found',
				'conflict',
				'rate_limited',
				'unavailable',
				'internal'
			]),
			message: z.string(),
			field: z.string().optional()
		})
	})
	.openapi('Error');

const descriptions = {
	400: 'Invalid input; `field` names the offending field',
	401: 'Not signed in',
	403: 'Your role may not do this',
	404: 'Not found',
	409: 'Conflict: the record changed since you read it, or a unique value is taken',
	429: 'Too many attempts',
	503: 'A dependency is down'
} as const;

type ErrorStatus = keyof typeof descriptions;

/** The error responses a route documents, all with the same body shape. */
export function errorResponses<S extends ErrorStatus>(...statuses: S[]) {
	return Object.fromEntries(
		statuses.map((s) => [
			s,
			{ description: descriptions[s], content: { 'application/json': { schema: errorSchema } } }
		])
	) as unknown as Record<
		S,
		{ description: string; content: { 'application/json': { schema: typeof errorSchema } } }
	>;
}
