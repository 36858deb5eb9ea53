import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { connectDatabase, runMigrations } from '../../db/client';
import { seedDemo, contactsPerUnit } from '../../db/seed/demo';
import { globalSearch } from '../../server/search/search.service';
import { DomainEventBus } from '../../server/core/events';
import { baseUrl, urlFor } from '../support/databases';
import { markBuilt, rootDir } from '../../server/build';
import { percentile, time } from './stats';

/** Seconds from `npm start` to a healthy /api/health, on a fresh DATA_DIR (cold) and again (warm). */
export async function benchStartup(log: (m: string) => void) {
	const dataDir = mkdtempSync(path.join(tmpdir(), 'console-bench-'));
	const port = 3990;
	const start = async () => {
		const started = performance.now();
		const child = spawn(process.execPath, ['--import', 'tsx', 'server/start.ts'], {
			cwd: rootDir,
			env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), DATABASE_URL: '', LOG_LEVEL: 'warn' },
			stdio: 'ignore'
		});
		try {
			for (;;) {
				if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
				const ok = await fetch(`http://127.0.0.1:${port}/api/health`)
					.then((r) => r.ok)
					.catch(() => false);
				if (ok) break;
				if (performance.now() - started > 180_000) throw new Error('no healthy start within 180 s');
				await new Promise((r) => setTimeout(r, 100));
			}
			return (performance.now() - started) / 1000;
		} finally {
			child.kill('SIGTERM');
			await new Promise((r) => child.once('exit', r));
		}
	};
	try {
		// A fresh clone also builds the UI on its first `npm start`: time that part on its own.
		log('start-up: production build...');
		const buildStarted = performance.now();
		const build = spawnSync(path.join(rootDir, 'node_modules', '.bin', 'vite'), ['build'], {
			cwd: rootDir,
			stdio: 'ignore'
		});
		if (build.status !== 0) throw new Error('vite build failed');
		markBuilt();
		const buildSeconds = (performance.now() - buildStarted) / 1000;
		log('start-up: cold (new embedded PostgreSQL, migrations, demo company)...');
		const cold = await start();
		log('start-up: warm...');
		const warm = await start();
		return {
			'startup.build_s': round(buildSeconds),
			'startup.cold_s': round(cold),
			'startup.first_run_s': round(buildSeconds + cold),
			'startup.warm_s': round(warm)
		};
	} finally {
		rmSync(dataDir, { recursive: true, force: true });
	}
}

const benchDatabase = 'console_bench_1m';

/** The 1,000,000-contact demo company, kept between bench runs (seeding it takes minutes). */
export async function ensureMillionContacts(log: (m: string) => void): Promise<string> {
	const url = urlFor(benchDatabase);
	const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
	try {
		const [exists] = await admin`select 1 from pg_database where datname = ${benchDatabase}`;
		if (exists) {
			const db = postgres(url, { max: 1 });
			const [{ n }] = await db`select count(*)::int as n from contacts`.catch(() => [{ n: 0 }]);
			await db.end();
			// Reuse it only if today's migrations apply to it (a regenerated migration would not).
			const reusable = n >= 1_000_000 && (await migrates(url));
			if (reusable) return url;
			log(`rebuilding ${benchDatabase}`);
			await admin.unsafe(`drop database ${benchDatabase} with (force)`);
		}
		await admin.unsafe(`create database ${benchDatabase}`);
	} finally {
		await admin.end();
	}
	const handle = connectDatabase(url, { max: 4 });
	try {
		await runMigrations(handle);
		const scale = Math.ceil(1_000_000 / contactsPerUnit);
		log(
			`seeding ${scale * contactsPerUnit} contacts (scale ${scale}); kept in database ${benchDatabase} for later runs...`
		);
		await seedDemo(handle.db, { scale, log });
		await handle.sql`analyze`;
	} finally {
		await handle.close();
	}
	return url;
}

async function migrates(url: string): Promise<boolean> {
	const handle = connectDatabase(url, { max: 2 });
	try {
		await runMigrations(handle);
		await handle.sql`analyze`;
		return true;
	} catch {
		return false;
	} finally {
		await handle.close();
	}
}

/** Global search latency inside the server (service call, no HTTP), on the 1M-contact data set. */
export async function benchSearch(url: string) {
	const handle = connectDatabase(url, { max: 10 });
	const ctx = {
		actor: { kind: 'user' as const, userId: '', username: 'bench', roles: ['agent' as const], teamId: null },
		db: handle.db,
		events: new DomainEventBus()
	};
	try {
		const phones = await handle.sql<
			{ raw: string }[]
		>`select raw from phone_numbers tablesample system (1) limit 300`;
		const names = await handle.sql<
			{ last_name: string }[]
		>`select last_name from contacts tablesample system (1) limit 300`;
		const companies = await handle.sql<{ word: string }[]>`
			select split_part(company_name, ' ', 2) as word from customers tablesample system (5) limit 300`;
		const run = async (queries: string[]) => {
			const samples: number[] = [];
			for (const q of queries.slice(0, 20))
				await globalSearch({ ctx, input: { q, limit: 8 }, defaultCountry: 'IT' }); // warm-up
			for (const q of queries)
				samples.push(await time(() => globalSearch({ ctx, input: { q, limit: 8 }, defaultCountry: 'IT' })));
			return samples;
		};
		const byPhone = await run(phones.map((p) => p.raw));
		const byName = await run([
			...names.map((n) => n.last_name),
			...companies.map((c) => c.word).filter((w) => w.length >= 3)
		]);
		return {
			'search.phone_p50_ms': round(percentile(byPhone, 50)),
			'search.phone_p95_ms': round(percentile(byPhone, 95)),
			'search.name_p50_ms': round(percentile(byName, 50)),
			'search.name_p95_ms': round(percentile(byName, 95))
		};
	} finally {
		await handle.close();
	}
}

const round = (n: number) => Math.round(n * 100) / 100;
