import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env';
import { validationHook } from '../http/validation';
import { requireActor } from '../http/session-middleware';
import { errorResponses } from '../http/openapi';
import { softphoneConfig } from './softphone.schemas';
import { getSoftphoneConfig } from './softphone.service';

const configRoute = createRoute({
	method: 'get',
	path: '/softphone/config',
	tags: ['softphone'],
	summary:
		"The signed-in agent's SIP identity and the PBX's WebSocket URL, domain and ICE servers; {line: false} when the console has no telephony",
	responses: {
		200: {
			description: 'sip.js settings',
			content: { 'application/json': { schema: softphoneConfig } },
			headers: {
				'Cache-Control': { schema: { type: 'string' }, description: 'no-store: it holds a password' }
			}
		},
		...errorResponses(401, 403)
	}
});

export const softphoneRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(
	configRoute,
	async (c) => {
		requireActor(c);
		const { config: settings, demoCalls } = c.var.deps;
		const config = await getSoftphoneConfig({
			ctx: c.var.ctx,
			input: undefined,
			sip: settings.sip,
			switchboard: demoCalls && { wsUrl: demoCalls.wsUrl, domain: demoCalls.switchboard.domain }
		});
		c.header('Cache-Control', 'no-store');
		return c.json(config, 200);
	}
);
