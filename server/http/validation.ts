import type { Hook } from '@hono/zod-openapi';
import type { ZodError } from 'zod';
import type { AppEnv } from './env';

/** Turns the first schema issue into `{error:{code, message, field}}`, naming the field. */
export function describeZodError(error: ZodError): { message: string; field?: string } {
	const issue = error.issues[0];
	if (!issue) return { message: 'Invalid input' };
	const field = issue.path.map(String).join('.') || undefined;
	// Some schema messages name their field already ("openedAt must be..."): say it once.
	const named =
		field && (issue.message.startsWith(field) || issue.message.startsWith(String(issue.path.at(-1))));
	return { message: field && !named ? `${field}: ${issue.message}` : issue.message, field };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const validationHook: Hook<any, AppEnv, any, any> = (result, c) => {
	if (!result.success) {
		const { message, field } = describeZodError(result.error as ZodError);
		return c.json({ error: { code: 'bad_request', message, ...(field ? { field } : {}) } }, 400);
	}
};
