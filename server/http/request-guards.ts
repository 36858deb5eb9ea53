import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { createMiddleware } from 'hono/factory';
import { bodyLimit } from 'hono/body-limit';
import type { AppContext, AppEnv } from './env';
import { AppError, badRequest, forbidden, toErrorBody, unauthorized } from '../core/errors';
import { describePayloadProblem, findPayloadProblem } from '../core/unsafe-text';

/**
 * What every API request passes before a route sees it, cheapest first: a state-changing
 * request must come from the console's own pages, a body must be small JSON, and its text must
 * be text PostgreSQL can store. Each refusal is a 4xx in the usual error shape.
 */

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The PBX posts with its bearer token from a server, not from a browser: no Origin to check. */
const tokenAuthenticatedPaths = new Set(['/api/cti/events']);
/**
 * What a caller with no session may reach: health, the API's documentation, signing in (and
 * asking whether one is signed in), the PBX.
 */
const publicPaths = new Set([
	'/api/health',
	'/api/openapi.json',
	'/api/docs',
	'/api/auth/login',
	'/api/auth/session',
	...tokenAuthenticatedPaths
]);
const isPublic = (path: string) => publicPaths.has(path) || path.startsWith('/api/docs/assets/');

/** JSON bodies of ours are a few kilobytes; 256 KiB leaves room for long notes and batches. */
export const defaultBodyLimit = 256 * 1024;
/** A PBX may post a burst of call events in one request. */
const bodyLimitByPath = new Map<string, number>([['/api/cti/events', 1024 * 1024]]);

function refuse(c: AppContext, error: AppError, headers: Record<string, string> = {}) {
	const { status, body } = toErrorBody(error);
	return c.json(body, status as 400, headers);
}

function originOfReferer(referer: string | undefined): string | undefined {
	if (!referer) return undefined;
	try {
		return new URL(referer).origin;
	} catch {
		return undefined;
	}
}

/**
 * Cross-site request forgery: SameSite=Lax does not cover every case (a sibling subdomain, an
 * old browser), so a write must carry the console's Origin (or, lacking it, Referer).
 */
export const sameOriginWrites = createMiddleware<AppEnv>(async (c, next) => {
	if (safeMethods.has(c.req.method) || tokenAuthenticatedPaths.has(c.req.path)) return next();
	const expected = c.var.deps.config.publicOrigin;
	const origin = c.req.header('origin') ?? originOfReferer(c.req.header('referer'));
	if (origin !== expected) {
		return refuse(
			c,
			forbidden(
				origin
					? `Cross-site request refused: Origin ${origin} is not ${expected}`
					: `Request refused: a write must carry the Origin header of ${expected}`
			)
		);
	}
	await next();
});

/**
 * Nobody unauthenticated learns what a valid request looks like: without a session every
 * other route is a 401 before its body is read or its parameters validated.
 */
export const signedIn = createMiddleware<AppEnv>(async (c, next) => {
	if (c.var.session || isPublic(c.req.path)) return next();
	return refuse(c, unauthorized());
});

/**
 * A refused upload still arriving would make closing the connection reset it, and the client
 * would lose the 413 it was sent. So the connection closes lingering, as web servers do: our
 * side half-closes, the rest of the body is read and dropped (never buffered), and the socket
 * goes when the client is done or after a few seconds.
 */
const lingerMs = 3_000;
function closeLingering(socket: Socket) {
	socket.destroySoon = function lingeringClose(this: Socket) {
		this.end();
		this.on('data', () => {});
		this.resume();
		const timer = setTimeout(() => this.destroy(), lingerMs);
		timer.unref();
		this.once('end', () => this.destroy());
		this.once('close', () => clearTimeout(timer));
	};
}

const tooLarge = (limit: number) => (c: AppContext) => {
	const socket = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket;
	if (socket) closeLingering(socket);
	// Connection: close, or a client would send its next request on a connection still
	// carrying the rest of this body.
	return refuse(
		c,
		new AppError('payload_too_large', `The request body is larger than ${Math.round(limit / 1024)} KiB`),
		{ connection: 'close' }
	);
};

const limiters = new Map<number, ReturnType<typeof bodyLimit>>();
function limiterFor(limit: number) {
	let limiter = limiters.get(limit);
	if (!limiter) {
		limiter = bodyLimit({ maxSize: limit, onError: tooLarge(limit) });
		limiters.set(limit, limiter);
	}
	return limiter;
}

/** Answers 413 from Content-Length before reading, or as soon as a chunked body passes the limit. */
export const limitedBodies = createMiddleware<AppEnv>(async (c, next) => {
	const limit = bodyLimitByPath.get(c.req.path) ?? defaultBodyLimit;
	return limiterFor(limit)(c, next);
});

const hasBody = (c: AppContext) => {
	const length = c.req.header('content-length');
	return length !== undefined ? Number(length) > 0 : c.req.header('transfer-encoding') !== undefined;
};
const isJson = (contentType: string | undefined) =>
	!!contentType && /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType);

/**
 * Bodies are JSON (415 otherwise), parsed once here (the route's validator reuses the parse)
 * and refused with a 400 naming the field when they hold NUL characters, unpaired surrogates
 * or absurd nesting; query strings likewise.
 */
export const safeInput = createMiddleware<AppEnv>(async (c, next) => {
	for (const [name, values] of Object.entries(c.req.queries())) {
		for (const value of values) {
			const problem = findPayloadProblem(value, name) ?? findPayloadProblem(name, name);
			if (problem) return refuse(c, badRequest(describePayloadProblem(problem), problem.field));
		}
	}
	if (!safeMethods.has(c.req.method) && hasBody(c)) {
		if (!isJson(c.req.header('content-type'))) {
			return refuse(c, new AppError('unsupported_media_type', 'The request body must be application/json'));
		}
		let body: unknown;
		try {
			body = await c.req.json();
		} catch {
			return refuse(c, badRequest('The request body is not valid JSON'));
		}
		const problem = findPayloadProblem(body);
		if (problem) return refuse(c, badRequest(describePayloadProblem(problem), problem.field || undefined));
	}
	await next();
});
