import type { Hook } from '@hono/zod-openapi';
import type { ZodError } from 'zod';
import { badRequest, toErrorBody, type ErrorDetail } from '../core/errors';
import type { AppEnv } from './env';

type ZodIssue = ZodError['issues'][number];

/**
 * Turns the first schema issue into `{error:{code, message, field, issue, limit, unit}}`: the field,
 * an English message, and the reason in codes a client words in its user's language. `input` (what
 * was sent) tells a missing field from one of the wrong type.
 */
export function describeZodError(
	error: ZodError,
	input?: unknown
): { message: string; field?: string } & ErrorDetail {
	const issue = error.issues[0];
	if (!issue) return { message: 'Invalid input', issue: 'invalid' };
	const field = issue.path.map(String).join('.') || undefined;
	// Some schema messages name their field already ("openedAt must be..."): say it once.
	const named =
		field && (issue.message.startsWith(field) || issue.message.startsWith(String(issue.path.at(-1))));
	return {
		message: field && !named ? `${field}: ${issue.message}` : issue.message,
		field,
		...detailOf(issue, input)
	};
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
	let value = input;
	for (const key of path) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<PropertyKey, unknown>)[key];
	}
	return value;
}

function detailOf(issue: ZodIssue, input: unknown): ErrorDetail {
	switch (issue.code) {
		case 'invalid_type':
			return { issue: valueAt(input, issue.path) == null ? 'required' : 'invalid_type' };
		case 'too_big':
		case 'too_small': {
			const bound = issue.code === 'too_big' ? issue.maximum : issue.minimum;
			const unit =
				issue.origin === 'string'
					? 'characters'
					: issue.origin === 'array' || issue.origin === 'set'
						? 'items'
						: undefined;
			// "At least 1 character" is how a schema says a text is required.
			if (issue.code === 'too_small' && unit === 'characters' && Number(bound) === 1)
				return { issue: 'required' };
			// An exclusive bound (> 0) or a date's has no count to show: the issue alone says it.
			const countable = issue.inclusive !== false && issue.origin !== 'date';
			return { issue: issue.code, ...(countable ? { limit: Number(bound) } : {}), ...(unit ? { unit } : {}) };
		}
		case 'invalid_format':
			return { issue: 'invalid_format' };
		case 'invalid_value':
			return { issue: 'invalid_value' };
		case 'unrecognized_keys':
			return { issue: 'unknown_field' };
		default:
			return { issue: 'invalid' };
	}
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const validationHook: Hook<any, AppEnv, any, any> = (result, c) => {
	if (!result.success) {
		// @hono/zod-validator hands the hook what was sent beside the error; its type leaves it out.
		const sent = (result as { data?: unknown }).data;
		const { message, field, ...detail } = describeZodError(result.error as ZodError, sent);
		return c.json(toErrorBody(badRequest(message, field, detail)).body, 400);
	}
};
