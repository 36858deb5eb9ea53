import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { serviceCenters } from '../../db/schema';
import {
	demoBusinessCalendar,
	MAX_TARGET_MINUTES,
	MIN_WEEKLY_WORKING_MINUTES
} from '../../server/sla/business-calendar';
import { createTestDatabase, prepareTemplate } from '../support/databases';
import { startTestServer } from '../support/test-server';
import { percentile } from './stats';

const HEALTH_EVERY_MS = 5;
const LOGIN_BODY_BYTES = 64 * 2 ** 20;
const LOGINS = 4;
const ROUNDS = 10;
const round = (ms: number) => Math.round(ms * 100) / 100;

interface LoadResult {
	healthMs: number[];
	loginStatuses: number[];
	previewStatus: number;
	previewMs: number;
}

/*
 * The clients run in a worker thread: streaming 256 MB from the server's own event loop would
 * measure the bench, not the server. Plain JavaScript, so the worker needs no TypeScript loader.
 */
const loadScript = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const { origin, cookie, bodyBytes, logins, healthEveryMs, preview, rounds } = workerData;
const url = new URL(origin);

// Streams a JSON body of bodyBytes in 1 MiB chunks, with backpressure; the status, or 0 when the
// server closed the connection without an answer.
function hugeLogin() {
	return new Promise((resolve) => {
		const prefix = Buffer.from('{"username":"');
		const suffix = Buffer.from('","password":"x"}');
		const chunk = Buffer.alloc(2 ** 20, 'a');
		let fill = bodyBytes - prefix.length - suffix.length;
		let status = 0;
		const req = http.request({
			host: url.hostname, port: url.port, path: '/api/auth/login', method: 'POST',
			headers: { 'content-type': 'application/json', 'content-length': bodyBytes, origin }
		}, (res) => { status = res.statusCode; res.resume(); res.on('end', () => resolve(status)); });
		req.on('error', () => resolve(status));
		req.write(prefix);
		const body = () => {
			while (fill > 0) {
				const piece = fill >= chunk.length ? chunk : chunk.subarray(0, fill);
				fill -= piece.length;
				if (!req.write(piece)) return void req.once('drain', body);
			}
			req.end(suffix);
		};
		req.on('close', () => resolve(status));
		body();
	});
}

async function main() {
	let healthMs = [];
	const pending = new Set();
	const sample = () => {
		const started = performance.now();
		const done = fetch(origin + '/api/health').then((r) => r.arrayBuffer())
			.then(() => healthMs.push(performance.now() - started), () => healthMs.push(performance.now() - started))
			.finally(() => pending.delete(done));
		pending.add(done);
	};
	// Samples of the idle server first, to warm this thread's fetch and its connections; they
	// are not counted. Then the load arrives all at once.
	for (let i = 0; i < 40; i++) { sample(); await new Promise((r) => setTimeout(r, healthEveryMs)); }
	await Promise.all(pending);
	healthMs = [];
	const loginStatuses = [];
	const previews = [];
	const timer = setInterval(sample, healthEveryMs);
	// The attack is short (every huge body is refused at once), so it comes in several rounds:
	// enough health samples for a p99 that is not just the maximum of a few dozen.
	for (let round = 0; round < rounds; round++) {
		const previewStarted = performance.now();
		const previewDone = !preview ? Promise.resolve({ status: 0, ms: 0 }) : fetch(origin + '/api/sla/preview', {
			method: 'POST', headers: { 'content-type': 'application/json', cookie, origin }, body: JSON.stringify(preview)
		}).then(async (r) => { await r.arrayBuffer(); return { status: r.status, ms: performance.now() - previewStarted }; });
		loginStatuses.push(...(await Promise.all(Array.from({ length: logins }, hugeLogin))));
		previews.push(await previewDone);
		// A little more after the last answer: a server still busy would show here.
		await new Promise((r) => setTimeout(r, 200));
	}
	clearInterval(timer);
	await Promise.all(pending);
	parentPort.postMessage({
		healthMs,
		loginStatuses,
		previewStatus: previews[previews.length - 1].status,
		previewMs: Math.max(...previews.map((p) => p.ms))
	});
}
main().catch((error) => { throw error; });
`;

/**
 * /api/health p99 while four anonymous logins with 64 MB JSON bodies and one pathological SLA
 * preview (a supervisor's; a calendar with the least weekly working time allowed and the
 * largest target) arrive at once. Health is asked every 5 ms, each request on its own, so a
 * blocked event loop shows as a run of slow answers.
 */
export async function benchHardening(
	log: (message: string) => void = () => {},
	load: { logins?: number; preview?: boolean } = {}
): Promise<Record<string, number>> {
	const logins = load.logins ?? LOGINS;
	await prepareTemplate();
	const database = await createTestDatabase('bench_hardening');
	const server = await startTestServer({ database, env: { LOG_LEVEL: 'error' } });
	try {
		const supervisor = await server.userWithRoles(['supervisor']);
		const [centre] = await server.runtime.database.handle.db
			.insert(serviceCenters)
			.values({ code: 'BH', name: 'Bench hardening' })
			.returning();
		const preview = {
			serviceCenterId: centre.id,
			priority: 'low',
			openedAt: '2026-03-02T09:00:00+01:00',
			calendar: {
				timeZone: 'Europe/Rome',
				weekHours: {
					1: [{ start: '09:00', end: `${String(9 + MIN_WEEKLY_WORKING_MINUTES / 60).padStart(2, '0')}:00` }]
				},
				country: 'IT'
			},
			target: { firstResponseMinutes: 60, resolutionMinutes: MAX_TARGET_MINUTES }
		};
		log(`hardening: ${logins} logins of ${LOGIN_BODY_BYTES / 2 ** 20} MB and a pathological preview...`);
		// A running console has answered previews before: warm the route, the JIT and the demo
		// calendar's holidays, so that the figure is about the load, not about a cold start.
		for (let i = 0; i < 5; i++) {
			const warm = await supervisor.fetch('/api/sla/preview', {
				method: 'POST',
				json: {
					...preview,
					calendar: demoBusinessCalendar,
					target: { firstResponseMinutes: 60, resolutionMinutes: 600 }
				}
			});
			if (warm.status !== 200) throw new Error(`the warm-up preview answered ${warm.status}`);
		}
		// The server's own view: how long its event loop was kept from turning.
		const loopDelay = monitorEventLoopDelay({ resolution: 1 });
		loopDelay.enable();
		const result = await new Promise<LoadResult>((resolve, reject) => {
			const worker = new Worker(loadScript, {
				eval: true,
				workerData: {
					origin: server.origin,
					cookie: supervisor.cookie,
					bodyBytes: LOGIN_BODY_BYTES,
					logins,
					healthEveryMs: HEALTH_EVERY_MS,
					rounds: ROUNDS,
					preview: load.preview === false ? null : preview
				}
			});
			worker.once('message', resolve);
			worker.once('error', reject);
		});
		loopDelay.disable();
		log(
			`hardening: logins answered ${result.loginStatuses.join(', ')}; preview ${result.previewStatus} in ${round(result.previewMs)} ms`
		);
		return {
			'hardening.health_p99_ms': round(percentile(result.healthMs, 99)),
			'hardening.health_p50_ms': round(percentile(result.healthMs, 50)),
			'hardening.health_max_ms': round(Math.max(...result.healthMs)),
			'hardening.health_samples': result.healthMs.length,
			'hardening.server_loop_delay_max_ms': round(loopDelay.max / 1e6),
			'hardening.preview_ms': round(result.previewMs),
			'hardening.preview_status': result.previewStatus,
			'hardening.rounds': ROUNDS,
			// Every one of the ROUNDS x LOGINS huge bodies must be refused with 413.
			'hardening.login_64mb_413': result.loginStatuses.filter((status) => status === 413).length,
			'hardening.login_64mb_sent': result.loginStatuses.length
		};
	} finally {
		await server.close();
	}
}
