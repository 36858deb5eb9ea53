import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { io as ioClient, type Socket } from 'socket.io-client';
import { loadConfig } from '../../server/config';
import { startRuntime, type Runtime } from '../../server/runtime';
import { createConsoleServer } from '../../server/http-server';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/realtime/contract';
import { createTestDatabase, type TestDatabase } from './databases';
import { hashPassword } from '../../server/auth/password';
import { teams, users } from '../../db/schema';
import type { Role } from '../../db/schema/identity';

export interface TestServer {
	url: string;
	origin: string;
	runtime: Runtime;
	database: TestDatabase;
	/** Creates a team, optionally managed by a user and below another team. */
	team(input?: { managerId?: string; parentId?: string }): Promise<string>;
	/** Creates a user with the given roles and returns a signed-in client for it. */
	userWithRoles(roles: Role[], extra?: { teamId?: string | null }): Promise<TestClient>;
	close(): Promise<void>;
}

export interface TestClient {
	userId: string;
	username: string;
	cookie: string;
	fetch(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
	socket(): Promise<Socket<ServerToClientEvents, ClientToServerEvents>>;
}

/**
 * The real console (API + Socket.IO) on a random port, on a fresh database cloned from the
 * migrated template. The SvelteKit handler is replaced by a 404: API tests do not need the UI.
 */
export async function startTestServer(
	options: { env?: Record<string, string>; database?: TestDatabase } = {}
): Promise<TestServer> {
	const database = options.database ?? (await createTestDatabase());
	const port = 0;
	const env = {
		NODE_ENV: 'test',
		DATABASE_URL: database.url,
		SESSION_SECRET: randomBytes(24).toString('hex'),
		DEMO_DATA: 'off',
		LOG_LEVEL: 'warn',
		...options.env
	};
	// The origin must be known before listening; take a free port first.
	const probe = createConsoleServer({ fetch: () => new Response() } as never, (_q, _r, next) => next());
	await new Promise<void>((r) => probe.listen(port, '127.0.0.1', r));
	const freePort = (probe.address() as AddressInfo).port;
	await new Promise((r) => probe.close(r));
	const origin = `http://127.0.0.1:${freePort}`;

	const config = loadConfig({ ...env, PORT: String(freePort), PUBLIC_ORIGIN: origin, ...options.env });
	const runtime = await startRuntime(config);
	const server = createConsoleServer(runtime.api, (_req, res) => {
		res.statusCode = 404;
		res.end();
	});
	await runtime.attach(server);
	await new Promise<void>((r) => server.listen(freePort, '127.0.0.1', r));
	const sockets: Socket[] = [];

	const clientFor = async (username: string, password: string, userId: string): Promise<TestClient> => {
		const res = await fetch(`${origin}/api/auth/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin },
			body: JSON.stringify({ username, password })
		});
		if (res.status !== 200) throw new Error(`login of ${username} failed: ${res.status} ${await res.text()}`);
		const cookie = (res.headers.getSetCookie()[0] ?? '').split(';')[0];
		return {
			userId,
			username,
			cookie,
			fetch: (path, init = {}) => {
				const headers = new Headers(init.headers);
				headers.set('cookie', cookie);
				// A browser on the console's page sends its Origin on every write.
				if (!headers.has('origin')) headers.set('origin', origin);
				let body = init.body;
				if (init.json !== undefined) {
					headers.set('content-type', 'application/json');
					body = JSON.stringify(init.json);
				}
				return fetch(`${origin}${path}`, { ...init, headers, body });
			},
			socket: () => connectSocket(origin, cookie, sockets)
		};
	};

	return {
		url: origin,
		origin,
		runtime,
		database,
		async team(input = {}) {
			const [team] = await runtime.database.handle.db
				.insert(teams)
				.values({
					name: `team-${randomBytes(3).toString('hex')}`,
					managerId: input.managerId,
					parentId: input.parentId
				})
				.returning({ id: teams.id });
			return team.id;
		},
		async userWithRoles(roles, extra = {}) {
			const username = `${roles.join('-')}-${randomBytes(3).toString('hex')}`;
			const password = 'test-password';
			const [user] = await runtime.database.handle.db
				.insert(users)
				.values({
					username,
					displayName: username,
					passwordHash: await hashPassword(password),
					roles,
					teamId: extra.teamId ?? null
				})
				.returning({ id: users.id });
			return clientFor(username, password, user.id);
		},
		async close() {
			sockets.forEach((s) => s.disconnect());
			server.closeAllConnections();
			await new Promise((r) => server.close(r));
			await runtime.close();
			if (!options.database) await database.drop();
		}
	};
}

export function connectSocket(
	origin: string,
	cookie: string,
	track: Socket[] = [],
	extraHeaders: Record<string, string> = {}
): Promise<Socket<ServerToClientEvents, ClientToServerEvents>> {
	const socket: Socket<ServerToClientEvents, ClientToServerEvents> = ioClient(origin, {
		path: '/socket.io/',
		transports: ['websocket'],
		extraHeaders: { cookie, origin, ...extraHeaders },
		reconnection: false,
		forceNew: true
	});
	track.push(socket);
	return new Promise((resolve, reject) => {
		socket.once('connect', () => resolve(socket));
		socket.once('connect_error', (error) => reject(error));
	});
}

/** Resolves with the next event of that name, or rejects after `ms`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
	socket: Socket<ServerToClientEvents, ClientToServerEvents>,
	event: E,
	ms = 5000
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`no ${String(event)} within ${ms} ms`)), ms);
		socket.once(
			event as never,
			((payload: never) => {
				clearTimeout(timer);
				resolve(payload);
			}) as never
		);
	});
}
