import { z } from '@hono/zod-openapi';
import { errorCodes, limitUnits, validationIssues } from '../core/errors';

export const errorSchema = z
	.object({
		error: z.object({
			code: z.enum(errorCodes),
			/** English, for API users and logs; a console words `issue` in its user's language. */
			message: z.string(),
			field: z.string().optional(),
			issue: z.enum(validationIssues).optional().openapi({ description: 'Why `field` was refused' }),
			limit: z
				.number()
				.optional()
				.openapi({ description: 'The bound a `too_big` or `too_small` field crossed, in `unit`' }),
			unit: z.enum(limitUnits).optional().openapi({ description: 'What `limit` counts; absent for a number' })
		})
	})
	.openapi('Error');

const descriptions = {
	400: 'Invalid input; `field` names the offending field',
	401: 'Not signed in',
	403: 'Your role may not do this',
	404: 'Not found',
	409: 'Conflict: the record changed since you read it, or a unique value is taken',
	413: 'The request body is too large',
	415: 'The request body must be application/json',
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
