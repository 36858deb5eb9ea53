import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { swaggerUI } from '@hono/swagger-ui';
import type { ApiDeps, AppEnv } from './env';
import { validationHook } from './validation';
import { sessionMiddleware } from './session-middleware';
import { limitedBodies, safeInput, sameOriginWrites, signedIn } from './request-guards';
import { idempotentRetries } from './idempotency';
import { toErrorBody } from '../core/errors';
import { authRoutes } from '../auth/auth.routes';
import { healthRoutes } from '../health/health.routes';
import { customerRoutes } from '../customers/customers.routes';
import { searchRoutes } from '../search/search.routes';
import { userRoutes } from '../users/users.routes';
import { teamRoutes } from '../teams/teams.routes';
import { presenceRoutes } from '../presence/presence.routes';
import { ticketRoutes } from '../tickets/tickets.routes';
import { slaRoutes } from '../sla/sla.routes';
import { deskConfigRoutes } from '../desk-config/desk-config.routes';
import { notificationRoutes } from '../notifications/notifications.routes';
import { callerRoutes } from '../callers/callers.routes';
import { callRoutes } from '../calls/calls.routes';
import { ctiRoutes, ctiTokenGuard } from '../calls/cti.routes';
import { softphoneRoutes } from '../softphone/softphone.routes';
import { messageRoutes } from '../messages/messages.routes';
import { demoRoutes } from '../demo/demo.routes';
import { log } from '../core/log';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

// Swagger UI's assets are served from the npm package: the console must work offline.
const swaggerDist = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const swaggerAssets: Record<string, string> = {
	'swagger-ui.css': 'text/css; charset=utf-8',
	'swagger-ui-bundle.js': 'text/javascript; charset=utf-8'
};

/** The JSON API mounted at /api. Every domain contributes its routes here, and only here. */
export function createApi(deps: ApiDeps) {
	const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).basePath('/api');

	app.use('*', secureHeaders({ crossOriginResourcePolicy: 'same-origin' }));
	app.use('*', async (c, next) => {
		c.set('deps', deps);
		await next();
	});
	// Cheapest refusals first; nobody unauthenticated gets a body read.
	app.use('*', sameOriginWrites, limitedBodies);
	app.use('/cti/events', ctiTokenGuard);
	app.use('*', sessionMiddleware, signedIn, safeInput, idempotentRetries);

	app.onError((error, c) => {
		if (error instanceof HTTPException && error.status < 500) {
			// Hono's own 4xx (malformed JSON, body too large...): keep our error shape.
			return c.json(
				{ error: { code: 'bad_request', message: error.message || 'Bad request' } },
				error.status
			);
		}
		const { status, body } = toErrorBody(error);
		if (status >= 500) log.error('request failed', { path: c.req.path, error });
		return c.json(body, status as 400);
	});
	app.notFound((c) =>
		c.json({ error: { code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}` } }, 404)
	);

	const routes = app
		.route('/', healthRoutes)
		.route('/', authRoutes)
		.route('/', searchRoutes)
		.route('/', customerRoutes)
		.route('/', userRoutes)
		.route('/', teamRoutes)
		.route('/', presenceRoutes)
		.route('/', ticketRoutes)
		.route('/', slaRoutes)
		.route('/', deskConfigRoutes)
		.route('/', notificationRoutes)
		.route('/', callerRoutes)
		.route('/', callRoutes)
		.route('/', ctiRoutes)
		.route('/', softphoneRoutes)
		.route('/', messageRoutes)
		.route('/', demoRoutes);

	app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
		type: 'apiKey',
		in: 'cookie',
		name: 'fl_session'
	});
	app.doc31('/openapi.json', {
		openapi: '3.1.0',
		info: {
			title: 'Field-service console API',
			version: '0.1.0',
			description:
				"JSON API of the console. Every route except /health, /auth/login and /auth/session (who is signed in, if anyone) needs the session cookie set by /auth/login. Every write (POST, PUT, PATCH, DELETE) must carry the console's `Origin` header (or a `Referer` on it), except the PBX event API with its bearer token. Bodies are JSON, 256 KiB at most. Creating POSTs accept an `Idempotency-Key` header: a retry with the same key gets the first answer. Errors are `{error:{code, message, field?}}`."
		},
		security: [{ session: [] }]
	});
	app.get(
		'/docs',
		swaggerUI({ url: '/api/openapi.json', baseUrl: '/api/docs/assets', title: 'Console API' })
	);
	app.get('/docs/assets/swagger-ui-dist/:file', async (c) => {
		const file = c.req.param('file');
		const type = swaggerAssets[file];
		if (!type) return c.json({ error: { code: 'not_found', message: 'No such asset' } }, 404);
		const body = await readFile(path.join(swaggerDist, file));
		return c.body(body, 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
	});

	return routes;
}

export type Api = ReturnType<typeof createApi>;
