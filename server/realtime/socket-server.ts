import type { CallerIndex } from '../callers/caller-index';
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import { parseSigned } from 'hono/utils/cookie';
import type { ZodType } from 'zod';
import type { DatabaseHandle } from '../../db/client';
import type { Config } from '../config';
import type { DomainEventBus } from '../core/events';
import { actorOf, resolveSession } from '../auth/auth.service';
import { can, authorize } from '../auth/policy';
import { SESSION_COOKIE } from '../http/session-middleware';
import { AppError, toErrorBody, badRequest } from '../core/errors';
import { log } from '../core/log';
import { describePayloadProblem, findPayloadProblem } from '../core/unsafe-text';
import { describeZodError } from '../http/validation';
import { startNotifier } from './notifier';
import { visibleServiceCenterIds } from '../tickets/visibility';
import { watchedTeams } from '../teams/team-scope';
import {
	agentStateInput,
	callReportInput,
	rooms,
	watchEntityInput,
	type Ack,
	type ClientToServerEvents,
	type ServerToClientEvents,
	type SocketData
} from './contract';
import type { Actor } from '../core/context';
import type { PresenceDirectory } from '../presence/presence.service';
import type { PresenceEntry } from './contract';
import { reportCallEvent } from '../calls/calls.service';
import { markOffline, setAgentState } from '../calls/agent-states.service';

export type ConsoleIo = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface RealtimeDeps {
	config: Config;
	database: DatabaseHandle;
	events: DomainEventBus;
	sessionSecret: string;
	callerIndex?: CallerIndex;
}

/**
 * Socket.IO on the same HTTP server as the API. The handshake is authenticated with the
 * session cookie and refused for a foreign Origin; rooms are joined only as the role allows.
 */
export async function attachRealtime(httpServer: HttpServer, deps: RealtimeDeps) {
	const { config } = deps;
	let redis: ReturnType<typeof createClient> | undefined;
	const io: ConsoleIo = new Server(httpServer, {
		path: '/socket.io/',
		serveClient: false,
		cors: { origin: config.publicOrigin, credentials: true },
		// Only the configured origin may open a socket: a cookie alone is not enough (CSWSH).
		allowRequest: (req, callback) => {
			const origin = req.headers.origin;
			// Browsers omit Origin on same-origin polling GETs but always mark them with
			// Sec-Fetch-Site; a cross-site page cannot forge that header.
			const sameOrigin = origin === undefined && req.headers['sec-fetch-site'] === 'same-origin';
			const allowed = origin === config.publicOrigin || sameOrigin;
			if (!allowed) log.warn('socket handshake refused: foreign origin', { origin });
			callback(allowed ? null : 'origin not allowed', allowed);
		},
		connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false }
	});

	if (config.redisUrl) {
		redis = createClient({ url: config.redisUrl });
		redis.on('error', (error) => log.error('redis error', { error }));
		await redis.connect();
		io.adapter(createAdapter(redis));
		log.info('socket.io uses the Redis Streams adapter', { redis: config.redisUrl });
	}

	io.use(async (socket, next) => {
		try {
			const cookies = await parseSigned(
				socket.request.headers.cookie ?? '',
				deps.sessionSecret,
				SESSION_COOKIE
			);
			const token = cookies[SESSION_COOKIE];
			const session = token ? await resolveSession(deps.database.db, token, config.session) : null;
			if (!session) return next(new Error('unauthorized'));
			socket.data = {
				userId: session.user.id,
				username: session.user.username,
				roles: session.user.roles,
				teamId: session.user.teamId,
				sessionHash: session.sessionHash,
				sessionExpiresAt: session.expiresAt.getTime()
			};
			next();
		} catch (error) {
			log.error('socket handshake failed', { error });
			next(new Error('unauthorized'));
		}
	});

	// Ticket queues: the service centres a socket may see are settled before it connects, so no
	// change published right after the connection is missed.
	io.use(async (socket, next) => {
		try {
			const actor = actorOfSocket(socket.data);
			socket.data.serviceCenterIds = await visibleServiceCenterIds(deps.database.db, actor);
			if (can(actor, 'presence:watch') || can(actor, 'agent_states:watch')) {
				socket.data.watchedTeams = await watchedTeams(deps.database.db, actor);
			}
			next();
		} catch (error) {
			log.error('socket service centres failed', { error });
			next(new Error('unavailable'));
		}
	});

	io.on('connection', (socket) => {
		const actor = actorOfSocket(socket.data);
		// The session's absolute timeout holds for sockets too: HTTP would answer 401 by then.
		const expiry = setTimeout(
			() => {
				socket.emit('session:ended', { reason: 'expired' });
				socket.disconnect(true);
			},
			Math.min(Math.max(0, socket.data.sessionExpiresAt - Date.now()), 2 ** 31 - 1)
		);
		socket.once('disconnect', () => clearTimeout(expiry));
		const allowed = roomsOf(socket.data, actor);
		// A socket that recovers after a short outage comes back with the rooms it had; the user
		// may have lost some of them meanwhile (a role or team change closes only open sockets).
		if (socket.recovered) {
			for (const room of socket.rooms) {
				const watching = room.startsWith('entity:') && can(actor, 'customers:read');
				if (room !== socket.id && !allowed.includes(room) && !watching) void socket.leave(room);
			}
		}
		void socket.join(allowed);
		const ctx = { actor, db: deps.database.db, events: deps.events, callerIndex: deps.callerIndex };
		const callPolicy = {
			defaultCountry: config.defaultCountry,
			wrapUpMaxSeconds: config.calls.wrapUpMaxSeconds
		};
		const { userId, username, roles } = socket.data;
		deps.events.publish({
			type: 'presence.changed',
			userId,
			username,
			roles: roles as never,
			teamId: socket.data.teamId,
			online: true
		});
		socket.on('disconnect', () => {
			// Offline only when the user's last socket, on any process, is gone.
			void io
				.in(rooms.user(userId))
				.fetchSockets()
				.then((left) => {
					if (left.length > 0) return;
					deps.events.publish({
						type: 'presence.changed',
						userId,
						username,
						roles: roles as never,
						teamId: socket.data.teamId,
						online: false
					});
					// Nobody can take calls in a closed console.
					return markOffline({
						ctx: { ...ctx, actor: { kind: 'system', name: 'presence' } },
						input: { userId }
					});
				})
				.catch((error: unknown) => log.warn('presence check failed', { error }));
		});

		socket.on('entity:watch', (input, ack) =>
			handle(ack, watchEntityInput, input, (parsed) => {
				authorize(actor, 'customers:read');
				void socket.join(rooms.entity(parsed.entity, parsed.id));
			})
		);
		socket.on('entity:unwatch', (input, ack) =>
			handle(ack, watchEntityInput, input, (parsed) => {
				void socket.leave(rooms.entity(parsed.entity, parsed.id));
			})
		);
		socket.on('call:report', (input, ack) =>
			handle(ack, callReportInput, input, (parsed) =>
				reportCallEvent({ ctx, input: parsed, policy: callPolicy })
			)
		);
		socket.on('agent:state', (input, ack) =>
			handle(ack, agentStateInput, input, (parsed) => setAgentState({ ctx, input: parsed }))
		);
	});

	const stopNotifier = startNotifier(io, deps);

	const presence: PresenceDirectory = {
		async online() {
			const byUser = new Map<string, PresenceEntry>();
			for (const s of await io.fetchSockets()) {
				byUser.set(s.data.userId, {
					userId: s.data.userId,
					username: s.data.username,
					roles: s.data.roles,
					teamId: s.data.teamId,
					online: true,
					at: new Date().toISOString()
				});
			}
			return [...byUser.values()].sort((a, b) => a.username.localeCompare(b.username));
		}
	};

	return {
		io,
		presence,
		async close() {
			stopNotifier();
			io.disconnectSockets(true);
			await new Promise<void>((resolve) => io.close(() => resolve()));
			await redis?.quit().catch(() => undefined);
		}
	};
}

/** The rooms a socket joins at its handshake, from the user as they are now. */
function roomsOf(data: SocketData, actor: Actor): string[] {
	const joined = [rooms.user(data.userId), rooms.session(data.sessionHash)];
	for (const id of data.serviceCenterIds ?? []) joined.push(rooms.serviceCenter(id));
	for (const role of data.roles) joined.push(rooms.role(role));
	// Supervisors hear the people of their teams only; administrators hear everyone.
	const watched = data.watchedTeams;
	if (watched === 'all') {
		if (can(actor, 'presence:watch')) joined.push(rooms.presence);
		if (can(actor, 'agent_states:watch')) joined.push(rooms.agentStates);
	} else if (watched) {
		for (const teamId of watched) joined.push(rooms.teamWatch(teamId));
	}
	return joined;
}

function actorOfSocket(data: SocketData): Actor {
	return actorOf({
		id: data.userId,
		username: data.username,
		roles: data.roles as never,
		teamId: data.teamId,
		displayName: data.username,
		locale: 'it',
		sipExtension: null
	});
}

/** Parses an inbound payload, runs the handler, and answers the acknowledgement either way. */
function handle<T, R = undefined>(
	ack: Ack<R> | undefined,
	schema: ZodType<T>,
	payload: unknown,
	work: (input: T) => R | void | Promise<R | void>
) {
	const reply = typeof ack === 'function' ? ack : () => {};
	// The same refusals as the HTTP edge: text PostgreSQL cannot store, absurd nesting.
	const problem = findPayloadProblem(payload);
	if (problem) {
		const error = badRequest(describePayloadProblem(problem), problem.field || undefined);
		return reply({ ok: false, error: toErrorBody(error).body.error });
	}
	const parsed = schema.safeParse(payload);
	if (!parsed.success) {
		const { message, field, ...detail } = describeZodError(parsed.error, payload);
		return reply({ ok: false, error: toErrorBody(badRequest(message, field, detail)).body.error });
	}
	Promise.resolve()
		.then(() => work(parsed.data))
		.then(
			(data) => reply(data === undefined ? { ok: true } : { ok: true, data }),
			(error: unknown) => {
				if (!(error instanceof AppError)) log.error('socket handler failed', { error });
				reply({ ok: false, error: toErrorBody(error).body.error });
			}
		);
}
