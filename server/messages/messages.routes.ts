import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env';
import { validationHook } from '../http/validation';
import { requireActor } from '../http/session-middleware';
import { errorResponses } from '../http/openapi';
import { ticketMessages, ticketMessagesParam } from './messages.schemas';
import { listTicketMessages } from './messages.service';

const listRoute = createRoute({
	method: 'get',
	path: '/tickets/{id}/messages',
	tags: ['messages'],
	summary: "The ticket's outgoing e-mails with their delivery status, newest first",
	description:
		'Messages are written by ticket actions and automatic rules and sent by a background job; `mailConfigured: false` means the server has no SMTP_URL and queued messages wait. Changes arrive live as `ticket:message`.',
	request: { params: ticketMessagesParam },
	responses: {
		200: { description: 'Outgoing messages', content: { 'application/json': { schema: ticketMessages } } },
		...errorResponses(400, 401, 403, 404)
	}
});

export const messageRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(
	listRoute,
	async (c) => {
		requireActor(c);
		const { id } = c.req.valid('param');
		const mailConfigured = c.var.deps.config.mail.smtpUrl !== undefined;
		return c.json(await listTicketMessages({ ctx: c.var.ctx, input: { ticketId: id, mailConfigured } }), 200);
	}
);
