import { hc, type ClientResponse } from 'hono/client';
import type { Api } from '$server/http/api';
import type { ErrorBody, ErrorCode, ErrorDetail } from '$server/core/errors';

/**
 * The one door to the HTTP API: Hono RPC typed by the server's routes, so a renamed field or
 * route breaks the build, not the console. Only this folder calls fetch.
 */
export const api = hc<Api>('/').api;

export class ApiError extends Error {
	override name = 'ApiError';
	constructor(
		/** HTTP status; 0 when the server could not be reached. */
		readonly status: number,
		readonly code: ErrorCode | 'network',
		message: string,
		readonly field?: string,
		/** Why the field was refused (`issue`, `limit`, `unit`): what the UI words in the user's language. */
		readonly detail: ErrorDetail = {}
	) {
		super(message);
	}
}

let sessionLost: (() => void) | undefined;

/** Called when an authenticated request answers 401: the session expired or was revoked. */
export function onSessionLost(handler: () => void) {
	sessionLost = handler;
}

type SuccessBody<R> =
	R extends ClientResponse<infer T, infer S, infer _F>
		? S extends 204
			? void
			: S extends 200 | 201 | 202
				? T
				: never
		: never;

export interface CallOptions {
	/** The request may legitimately answer 401 (sign-in, the session probe): do not treat it as a lost session. */
	anonymous?: boolean;
}

/** Sends a request and returns its success body, or throws an ApiError built from `{error:{code,message,field}}`. */
export async function call<R extends ClientResponse<unknown, number, 'json' | 'text'>>(
	request: () => Promise<R>,
	options: CallOptions = {}
): Promise<SuccessBody<R>> {
	let response: R;
	try {
		response = await request();
	} catch (error) {
		if (error instanceof DOMException && error.name === 'AbortError') throw error;
		throw new ApiError(0, 'network', error instanceof Error ? error.message : 'Network error');
	}
	if (response.ok) {
		if (response.status === 204) return undefined as SuccessBody<R>;
		return (await response.json()) as SuccessBody<R>;
	}
	const error = await errorOf(response);
	if (error.status === 401 && !options.anonymous) sessionLost?.();
	throw error;
}

async function errorOf(response: ClientResponse<unknown, number, 'json' | 'text'>): Promise<ApiError> {
	try {
		const body = (await response.json()) as Partial<ErrorBody>;
		if (body.error?.code) {
			const { code, message, field, issue, limit, unit } = body.error;
			return new ApiError(response.status, code, message, field, { issue, limit, unit });
		}
	} catch {
		// Not our JSON error shape (a proxy's HTML page...): fall through to the status alone.
	}
	return new ApiError(
		response.status,
		response.status >= 500 ? 'internal' : 'bad_request',
		response.statusText
	);
}
