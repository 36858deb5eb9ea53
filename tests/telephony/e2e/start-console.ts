/**
 * The console for the telephony e2e: built bundle, embedded PostgreSQL in a fresh temporary
 * DATA_DIR (the machine's PostgreSQL is not reachable from the test's network namespace), the
 * demo company seeded on first start, and the SIP settings of the rig. Removed again on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ctiToken, wrapUpMaxSeconds } from './settings';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const port = process.env.TELEPHONY_E2E_PORT ?? '4180';
const dataDir = mkdtempSync(path.join(tmpdir(), 'telephony-e2e-'));
const log = (message: string) => console.log(`[telephony console] ${message}`);

const server = spawn(process.execPath, ['--import', 'tsx', 'server/start.ts'], {
	cwd: root,
	stdio: 'inherit',
	env: {
		...process.env,
		NODE_ENV: 'production',
		DATABASE_URL: '',
		DATA_DIR: dataDir,
		DEMO_DATA: 'on',
		SESSION_SECRET: randomBytes(32).toString('base64url'),
		PORT: port,
		HOST: '127.0.0.1',
		PUBLIC_ORIGIN: `http://127.0.0.1:${port}`,
		SIP_WS_URL: process.env.SIP_WS_URL ?? 'ws://127.0.0.1:5066',
		SIP_DOMAIN: process.env.SIP_DOMAIN ?? 'pbx.test',
		SIP_ICE_SERVERS: '[]',
		CTI_TOKEN: ctiToken,
		WRAP_UP_MAX_SECONDS: String(wrapUpMaxSeconds),
		LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn'
	}
});
log(`data in ${dataDir}`);

const exited = new Promise<number>((resolve) =>
	server.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
);
let stopping = false;
async function stop(signal: NodeJS.Signals) {
	if (stopping) return;
	stopping = true;
	if (server.exitCode === null) server.kill('SIGTERM');
	const forced = setTimeout(() => server.kill('SIGKILL'), 20_000);
	await exited;
	clearTimeout(forced);
	rmSync(dataDir, { recursive: true, force: true });
	log(`${signal}: stopped, ${dataDir} removed`);
	process.exit(0);
}
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));
void exited.then((code) => {
	if (stopping) return;
	log(`the console exited with code ${code}`);
	rmSync(dataDir, { recursive: true, force: true });
	process.exit(code || 1);
});
