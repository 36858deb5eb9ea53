/**
 * The small set of errors a service may throw. One mapper turns them into HTTP responses
 * (server/core/http-errors.ts), one into Socket.IO acknowledgements (server/realtime/ack.ts).
 */
export type ErrorCode =
	| 'bad_request'
	| 'unauthorized'
	| 'forbidden'
	| 'not_found'
	| 'conflict'
	| 'rate_limited'
	| 'unavailable'
	| 'internal';

const statusByCode: Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 429 | 503 | 500> = {
	bad_request: 400,
	unauthorized: 401,
	forbidden: 403,
	not_found: 404,
	conflict: 409,
	rate_limited: 429,
	unavailable: 503,
	internal: 500
};

export class AppError extends Error {
	override name = 'AppError';
	constructor(
		readonly code: ErrorCode,
		message: string,
		readonly field?: string
	) {
		super(message);
	}
	get status() {
		return statusByCode[this.code];
	}
}

export const badRequest = (message: string, field?: string) => new AppError('bad_request', message, field);
export const unauthorized = (message = 'Authentication required') => new AppError('unauthorized', message);
export const forbidden = (message = 'You are not allowed to do this') => new AppError('forbidden', message);
export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const conflict = (message: string, field?: string) => new AppError('conflict', message, field);
export const rateLimited = (message: string) => new AppError('rate_limited', message);

export interface ErrorBody {
	error: { code: ErrorCode; message: string; field?: string };
}

/** Anything that is not an AppError is an internal error: its details stay in the server log. */
export function toErrorBody(error: unknown): { status: number; body: ErrorBody } {
	if (error instanceof AppError) {
		const body: ErrorBody = { error: { code: error.code, message: error.message } };
		if (error.field) body.error.field = error.field;
		return { status: error.status, body };
	}
	return { status: 500, body: { error: { code: 'internal', message: 'Internal server error' } } };
}
