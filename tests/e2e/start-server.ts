/**
 * Playwright's web server: the built console against a brand-new PostgreSQL database seeded
 * with the demo company, dropped again when Playwright stops us (SIGTERM).
 *
 *   TEST_DATABASE_URL  server to create the database on (default postgres://postgres@127.0.0.1:5432/test)
 *   E2E_PORT           port to listen on (default 4173)
 *   LOG_LEVEL          the console's log level (default error: failures only)
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const baseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const port = process.env.E2E_PORT ?? '4173';
const database = `e2e_${Date.now()}`;

const log = (message: string) => console.log(`[e2e server] ${message}`);

async function withAdmin<T>(work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
	const sql = postgres(baseUrl, { max: 1, onnotice: () => {} });
	try {
		return await work(sql);
	} finally {
		await sql.end({ timeout: 5 });
	}
}

let dropped = false;
async function dropDatabase() {
	if (dropped) return;
	dropped = true;
	// FORCE: a connection the server failed to close must not keep the database alive.
	await withAdmin((sql) => sql.unsafe(`drop database if exists "${database}" with (force)`));
	log(`dropped database ${database}`);
}

await withAdmin((sql) => sql.unsafe(`create database "${database}"`));
const databaseUrl = new URL(baseUrl);
databaseUrl.pathname = `/${database}`;
log(`created database ${database}`);

const server = spawn(process.execPath, ['--import', 'tsx', 'server/start.ts'], {
	cwd: root,
	stdio: 'inherit',
	env: {
		...process.env,
		NODE_ENV: 'production',
		DATABASE_URL: databaseUrl.href,
		DEMO_DATA: 'on',
		SESSION_SECRET: randomBytes(32).toString('base64url'),
		PORT: port,
		PUBLIC_ORIGIN: `http://localhost:${port}`,
		LOG_LEVEL: process.env.LOG_LEVEL ?? 'error'
	}
});

const exited = new Promise<number>((resolve) =>
	server.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
);

let stopping = false;
async function stop(signal: NodeJS.Signals) {
	if (stopping) return;
	stopping = true;
	log(`${signal}: stopping the console`);
	if (server.exitCode === null) server.kill('SIGTERM');
	const forced = setTimeout(() => server.kill('SIGKILL'), 20_000);
	await exited;
	clearTimeout(forced);
	await dropDatabase().catch((error: unknown) => log(`could not drop ${database}: ${String(error)}`));
	process.exit(0);
}

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));

// The console died on its own (bad build, port taken...): clean up and report it.
void exited.then(async (code) => {
	if (stopping) return;
	log(`the console exited with code ${code}`);
	await dropDatabase().catch(() => undefined);
	process.exit(code || 1);
});
