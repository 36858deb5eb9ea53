import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { connectDatabase } from '../../db/client';
import { DomainEventBus } from '../../server/core/events';
import { lookupCaller } from '../../server/callers/callers.service';
import { CallerIndex } from '../../server/callers/caller-index';
import { rootDir } from '../../server/build';
import { percentile, time } from './stats';

const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * Caller-ID lookup inside the server (the service call, no HTTP) on a database such as the
 * 1,000,000-contact demo company, with the in-process caller index the server keeps by default
 * (CALLER_INDEX=on) and, for comparison, without it. Exact: numbers as a PBX sends them (national
 * format); suffix: the same numbers with the area code's 0 stripped, so only the suffix path (in
 * PostgreSQL either way) can find them.
 */
export async function benchCallerLookup(url: string, samples = 2000) {
	const handle = connectDatabase(url, { max: 10 });
	const ctx = {
		actor: { kind: 'user' as const, userId: '', username: 'bench', roles: ['agent' as const], teamId: null },
		db: handle.db,
		events: new DomainEventBus()
	};
	const callerIndex = new CallerIndex(handle.sql);
	try {
		// A database seeded by an older version was only analyzed: vacuum what the lookup reads.
		await handle.sql`vacuum (analyze) phone_numbers, contacts, customers, prospects, technicians, users`;
		const rows = await handle.sql<{ e164: string }[]>`
			select e164 from phone_numbers tablesample system (5) where e164 like '+390%' limit ${samples}`;
		if (rows.length < 100) throw new Error(`only ${rows.length} Italian landlines in ${url}`);
		const national = rows.map((r) => r.e164.slice(3));
		const stripped = national.map((n) => n.slice(1));
		const loadStarted = performance.now();
		await callerIndex.start();
		await callerIndex.whenReady();
		const indexLoadSeconds = (performance.now() - loadStarted) / 1000;
		const run = async (numbers: string[], expect: 'exact' | 'suffix', withIndex = true) => {
			const lookup = (number: string) =>
				lookupCaller({
					ctx: withIndex ? { ...ctx, callerIndex } : ctx,
					input: { number },
					defaultCountry: 'IT'
				});
			for (const n of numbers.slice(0, 50)) await lookup(n);
			const timings: number[] = [];
			let found = 0;
			for (const n of numbers) {
				let result: Awaited<ReturnType<typeof lookup>> | undefined;
				timings.push(await time(async () => (result = await lookup(n))));
				if (result?.matches.some((m) => m.match === expect)) found++;
			}
			return { timings, found };
		};
		// The floor under any lookup: one round trip to PostgreSQL on this machine, nothing read.
		const roundTrips: number[] = [];
		for (let i = 0; i < samples; i++) roundTrips.push(await time(() => handle.sql`select 1`));
		const exact = await run(national, 'exact');
		const exactFromDb = await run(national, 'exact', false);
		const suffix = await run(stripped, 'suffix');
		const suffixFromDb = await run(stripped, 'suffix', false);
		const [{ contacts }] = await handle.sql<
			{ contacts: number }[]
		>`select count(*)::int as contacts from contacts`;
		return {
			'callers.contacts': contacts,
			'callers.db_round_trip_p50_ms': round(percentile(roundTrips, 50)),
			'callers.db_round_trip_p99_ms': round(percentile(roundTrips, 99)),
			'callers.lookup_exact_p50_ms': round(percentile(exact.timings, 50)),
			'callers.lookup_exact_p99_ms': round(percentile(exact.timings, 99)),
			'callers.lookup_exact_db_p50_ms': round(percentile(exactFromDb.timings, 50)),
			'callers.lookup_exact_db_p99_ms': round(percentile(exactFromDb.timings, 99)),
			'callers.index_numbers': callerIndex.size.numbers,
			'callers.index_mb': Math.round(callerIndex.size.bytes / 2 ** 20),
			'callers.index_load_s': Math.round(indexLoadSeconds * 10) / 10,
			'callers.lookup_suffix_p50_ms': round(percentile(suffix.timings, 50)),
			'callers.lookup_suffix_p99_ms': round(percentile(suffix.timings, 99)),
			'callers.lookup_suffix_db_p50_ms': round(percentile(suffixFromDb.timings, 50)),
			'callers.lookup_suffix_db_p99_ms': round(percentile(suffixFromDb.timings, 99)),
			'callers.lookup_exact_found_pct': Math.round((100 * exact.found) / national.length),
			'callers.lookup_exact_db_found_pct': Math.round((100 * exactFromDb.found) / national.length),
			'callers.lookup_suffix_found_pct': Math.round((100 * suffix.found) / stripped.length)
		};
	} finally {
		await callerIndex.stop();
		await handle.close();
	}
}

/**
 * Screen-pop latency: from the moment sipp sends the INVITE to the landing card with the
 * customer's name rendered in Chromium, over `calls` calls (the telephony e2e rig, run in its
 * network namespace by tests/telephony/run-e2e.sh).
 */
export function benchScreenPop(calls = 50) {
	const out = path.join(rootDir, 'test-results', 'telephony', 'screen-pop.json');
	rmSync(out, { force: true });
	const run = spawnSync('bash', ['tests/telephony/run-e2e.sh', 'screen-pop.bench.spec.ts'], {
		cwd: rootDir,
		stdio: 'inherit',
		env: { ...process.env, TELEPHONY_BENCH_CALLS: String(calls) },
		timeout: 30 * 60 * 1000
	});
	if (run.status !== 0 || !existsSync(out)) throw new Error(`screen-pop bench failed (exit ${run.status})`);
	const samples = JSON.parse(readFileSync(out, 'utf8')) as number[];
	return {
		'telephony.screen_pop_calls': samples.length,
		'telephony.screen_pop_p50_ms': Math.round(percentile(samples, 50)),
		'telephony.screen_pop_p95_ms': Math.round(percentile(samples, 95))
	};
}
