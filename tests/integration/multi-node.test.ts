import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { connectSocket, nextEvent } from '../support/test-server';
import { connectDatabase } from '../../db/client';
import { customers, teams, users } from '../../db/schema';
import { hashPassword } from '../../server/auth/password';

// Two server processes on one database and one Redis, as behind a sticky load balancer:
// a change made through one must reach a socket connected to the other.
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const origin = 'http://console.test';
let database: TestDatabase;
const nodes: ChildProcess[] = [];

function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const s = net.createServer().listen(0, '127.0.0.1', () => {
			const port = (s.address() as net.AddressInfo).port;
			s.close(() => resolve(port));
		});
	});
}

async function startNode(env: Record<string, string>): Promise<number> {
	const port = await freePort();
	const child = spawn('npx', ['tsx', 'tests/support/api-node.ts'], {
		env: { ...process.env, ...env, PORT: String(port) },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	nodes.push(child);
	let stderr = '';
	child.stderr!.on('data', (d) => (stderr += d));
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`node did not start: ${stderr}`)), 60_000);
		child.stdout!.on('data', (d: Buffer) => {
			if (d.toString().includes('ready')) {
				clearTimeout(timer);
				resolve();
			}
		});
		child.once('exit', (code) => reject(new Error(`node exited with ${code}: ${stderr}`)));
	});
	return port;
}

async function login(port: number, username: string) {
	const res = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin },
		body: JSON.stringify({ username, password: 'multi-node-pw' })
	});
	expect(res.status).toBe(200);
	return res.headers.getSetCookie()[0].split(';')[0];
}

let portA: number;
let portB: number;
let customerId: string;

beforeAll(async () => {
	database = await createTestDatabase('multinode');
	const env = {
		DATABASE_URL: database.url,
		REDIS_URL: redisUrl,
		SESSION_SECRET: randomBytes(24).toString('hex'),
		PUBLIC_ORIGIN: origin,
		DEMO_DATA: 'off',
		LOG_LEVEL: 'warn',
		NODE_ENV: 'test'
	};
	[portA, portB] = await Promise.all([startNode(env), startNode(env)]);
	const handle = connectDatabase(database.url, { max: 2 });
	const passwordHash = await hashPassword('multi-node-pw');
	const [supervisor] = await handle.db
		.insert(users)
		.values({ username: 'mn-supervisor', displayName: 'Supervisor', passwordHash, roles: ['supervisor'] })
		.returning({ id: users.id });
	const [team] = await handle.db
		.insert(teams)
		.values({ name: 'Help desk', managerId: supervisor.id })
		.returning({ id: teams.id });
	await handle.db
		.insert(users)
		.values({ username: 'mn-agent', displayName: 'Agent', passwordHash, roles: ['agent'], teamId: team.id });
	[{ id: customerId }] = await handle.db
		.insert(customers)
		.values({ code: 'C-MN-1', companyName: 'Officine Multinodo S.r.l.' })
		.returning({ id: customers.id });
	await handle.close();
}, 120_000);

afterAll(async () => {
	for (const node of nodes) node.kill('SIGTERM');
	await Promise.all(
		nodes.map((n) => new Promise((r) => (n.exitCode !== null ? r(null) : n.once('exit', r))))
	);
	await database?.drop();
});

describe('several server processes', () => {
	it('deliver a change made through one process to a socket connected to the other', async () => {
		const supervisorCookie = await login(portB, 'mn-supervisor');
		const socketOnB = await connectSocket(`http://127.0.0.1:${portB}`, supervisorCookie, [], { origin });
		try {
			const agentCookie = await login(portA, 'mn-agent');
			// The session made on A is valid on B: sessions live in PostgreSQL.
			const me = await fetch(`http://127.0.0.1:${portB}/api/me`, { headers: { cookie: agentCookie } });
			expect(me.status).toBe(200);

			const heard = nextEvent(socketOnB, 'entity:changed', 10_000);
			const res = await fetch(`http://127.0.0.1:${portA}/api/customers/${customerId}`, {
				method: 'PATCH',
				headers: { cookie: agentCookie, 'content-type': 'application/json', origin },
				body: JSON.stringify({ version: 1, notes: 'changed on node A' })
			});
			expect(res.status).toBe(200);
			expect(await heard).toMatchObject({ entity: 'customer', id: customerId, version: 2, op: 'updated' });
		} finally {
			socketOnB.disconnect();
		}
	});

	it('shows presence of a user connected to one process to a supervisor on the other', async () => {
		const supervisorCookie = await login(portA, 'mn-supervisor');
		const watcher = await connectSocket(`http://127.0.0.1:${portA}`, supervisorCookie, [], { origin });
		try {
			const agentCookie = await login(portB, 'mn-agent');
			const seen = nextEvent(watcher, 'presence:changed', 10_000);
			const agentSocket = await connectSocket(`http://127.0.0.1:${portB}`, agentCookie, [], { origin });
			expect(await seen).toMatchObject({ username: 'mn-agent', online: true });
			const list = await fetch(`http://127.0.0.1:${portA}/api/presence`, {
				headers: { cookie: supervisorCookie }
			});
			const { items } = await list.json();
			expect(items.map((i: { username: string }) => i.username)).toContain('mn-agent');
			agentSocket.disconnect();
		} finally {
			watcher.disconnect();
		}
	});
});
