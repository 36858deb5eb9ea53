import { timingSafeEqual } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../http/env';
import { validationHook } from '../http/validation';
import { errorResponses } from '../http/openapi';
import { AppError, unauthorized } from '../core/errors';
import { ctiEventAccepted, ctiEventInput } from './calls.schemas';
import { ingestCtiEvent } from './calls.service';

const description = `
Feeds the call log and the agent states from the PBX. Authenticate with \`Authorization: Bearer <CTI_TOKEN>\`.

**Idempotent and order-tolerant.** Each event carries its own \`eventId\`: sending it again (a retry after a
timeout) changes nothing and answers \`duplicate: true\`. Events may arrive in any order: the call is
recomputed from all its events ordered by \`at\`, so send the PBX's own timestamps.

| type | when | agent |
| --- | --- | --- |
| offered | the call enters the PBX | |
| queued | it waits in a queue (\`queue\`) | |
| ringing | an agent's phone rings | the agent's extension or username |
| answered | an agent answered | required for agent states |
| held / resumed | hold and back | |
| transferred | passed on (\`transferTarget\`) | |
| ended | hung up (unanswered: a missed call) | |
| abandoned | the caller gave up in the queue | |

**Asterisk** (dialplan, \`func_curl\`; or forward AMI \`Newchannel\`, \`QueueCallerJoin\`, \`AgentCalled\`,
\`AgentConnect\`, \`Hold\`, \`Unhold\`, \`BlindTransfer\`, \`QueueCallerAbandon\`, \`Hangup\` the same way):

\`\`\`
[from-trunk]
exten => _X.,1,Set(CURLOPT(httpheader)=Authorization: Bearer \${CTI_TOKEN})
 same => n,Set(CURLOPT(httpheader)=Content-Type: application/json)
 same => n,Set(CTI=\${CURL(https://console.example.com/api/cti/events,{"eventId":"\${UNIQUEID}-offered","callId":"\${UNIQUEID}","type":"offered","at":"\${STRFTIME(\${EPOCH},UTC,%Y-%m-%dT%H:%M:%SZ)}","from":"\${CALLERID(num)}","to":"\${EXTEN}","callerName":"\${CALLERID(name)}"})})
 same => n,Queue(support)
exten => h,1,Set(CTI=\${CURL(https://console.example.com/api/cti/events,{"eventId":"\${UNIQUEID}-ended","callId":"\${UNIQUEID}","type":"ended","at":"\${STRFTIME(\${EPOCH},UTC,%Y-%m-%dT%H:%M:%SZ)}","from":"\${CALLERID(num)}","to":"\${EXTEN}"})})
\`\`\`

**FreeSWITCH** (an event-socket listener, e.g. \`fs_cli\`/ESL in any language): subscribe to
\`CHANNEL_CREATE\` (offered), \`CHANNEL_PROGRESS\` (ringing), \`CHANNEL_ANSWER\` (answered),
\`CHANNEL_HOLD\`/\`CHANNEL_UNHOLD\`, \`CHANNEL_HANGUP_COMPLETE\` (ended) and mod_callcenter's
\`callcenter::info\` (\`member-queue-start\` → queued, \`member-queue-end\` with cause Cancel → abandoned);
use \`Unique-ID\` (or the bridged call's \`variable_call_uuid\`) as \`callId\`, \`Event-Date-Timestamp\` as \`at\`
and \`<Unique-ID>-<Event-Name>-<Event-Sequence>\` as \`eventId\`, and POST each one:

\`\`\`
curl -X POST https://console.example.com/api/cti/events -H "Authorization: Bearer $CTI_TOKEN" \\
  -H 'Content-Type: application/json' -d '{"eventId":"6f1c...-CHANNEL_ANSWER-4411","callId":"6f1c...",
  "type":"answered","at":"2026-03-02T09:15:04.120Z","from":"+390212345678","to":"800123456","agent":"1001"}'
\`\`\`
`.trim();

const ingestRoute = createRoute({
	method: 'post',
	path: '/cti/events',
	tags: ['cti'],
	summary: 'PBX call events (bearer token): idempotent by eventId, ordered by at',
	description,
	security: [{ cti: [] }],
	request: { body: { required: true, content: { 'application/json': { schema: ctiEventInput } } } },
	responses: {
		202: {
			description: 'Recorded (or a duplicate)',
			content: { 'application/json': { schema: ctiEventAccepted } }
		},
		...errorResponses(400, 401, 503)
	}
});

/** Constant-time comparison: the token must not leak through response timing. */
function tokenMatches(header: string | undefined, token: string): boolean {
	const presented = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim() ?? '';
	const a = Buffer.from(presented);
	const b = Buffer.from(token);
	return a.length === b.length && timingSafeEqual(a, b);
}

const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
routes.openAPIRegistry.registerComponent('securitySchemes', 'cti', {
	type: 'http',
	scheme: 'bearer',
	description: 'CTI_TOKEN from the server configuration'
});
/**
 * The PBX's bearer token, checked before the body is even read (mounted ahead of the body
 * guards in server/http/api.ts): a stranger learns nothing, not even what a valid body looks like.
 */
export const ctiTokenGuard = createMiddleware<AppEnv>(async (c, next) => {
	const { config } = c.var.deps;
	if (!config.ctiToken) throw new AppError('unavailable', 'The PBX event API is off: set CTI_TOKEN');
	if (!tokenMatches(c.req.header('authorization'), config.ctiToken))
		throw unauthorized('Bad or missing CTI token');
	await next();
});

export const ctiRoutes = routes.openapi(ingestRoute, async (c) => {
	const { config } = c.var.deps;
	const result = await ingestCtiEvent({
		ctx: { ...c.var.ctx, actor: { kind: 'pbx' } },
		input: c.req.valid('json'),
		policy: { defaultCountry: config.defaultCountry, wrapUpMaxSeconds: config.calls.wrapUpMaxSeconds }
	});
	return c.json(result, 202);
});
