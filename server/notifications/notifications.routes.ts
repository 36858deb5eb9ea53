import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env';
import { validationHook } from '../http/validation';
import { requireActor } from '../http/session-middleware';
import { errorResponses } from '../http/openapi';
import { markReadInput, notificationList, notificationListQuery, unreadCount } from './notifications.schemas';
import { listNotifications, markNotificationsRead } from './notifications.service';

const listRoute = createRoute({
	method: 'get',
	path: '/notifications',
	tags: ['notifications'],
	summary: "The caller's notifications, newest first, with the unread count",
	request: { query: notificationListQuery },
	responses: {
		200: { description: 'Notifications', content: { 'application/json': { schema: notificationList } } },
		...errorResponses(400, 401, 403)
	}
});

const markReadRoute = createRoute({
	method: 'post',
	path: '/notifications/read',
	tags: ['notifications'],
	summary: "Mark some (`ids`) or all (`all: true`) of the caller's notifications read",
	request: { body: { required: true, content: { 'application/json': { schema: markReadInput } } } },
	responses: {
		200: { description: 'The unread count after', content: { 'application/json': { schema: unreadCount } } },
		...errorResponses(400, 401, 403)
	}
});

export const notificationRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
	.openapi(listRoute, async (c) => {
		requireActor(c);
		return c.json(await listNotifications({ ctx: c.var.ctx, input: c.req.valid('query') }), 200);
	})
	.openapi(markReadRoute, async (c) => {
		requireActor(c);
		return c.json(await markNotificationsRead({ ctx: c.var.ctx, input: c.req.valid('json') }), 200);
	});
