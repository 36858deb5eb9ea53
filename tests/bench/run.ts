/**
 * `npm run bench`: measures the figures the issues ask for and writes them, with their targets,
 * to bench-results/latest.json and bench-results/latest.md. `npm run bench -- startup search`
 * runs only the named sections.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { rootDir } from '../../server/build';
import { prepareTemplate } from '../support/databases';

type Figures = Record<string, number>;
interface Target {
	max?: number;
	min?: number;
	label: string;
}

const targets: Record<string, Target> = {
	'startup.first_run_s': {
		max: 90,
		label: 'fresh clone: build + embedded PostgreSQL initialised + seeded, until healthy (s)'
	},
	'startup.cold_s': { max: 90, label: 'first start with the UI already built (s)' },
	'startup.warm_s': { max: 15, label: 'second start (s)' },
	'search.phone_p95_ms': { max: 5, label: 'global search by phone, p95 at 1M contacts (ms)' },
	'search.name_p95_ms': { max: 50, label: 'global search by name, p95 at 1M contacts (ms)' },
	'tickets.queue_query_p95_ms': { max: 20, label: 'queue query p95 at 100,000 open tickets (ms)' },
	'tickets.change_to_sockets_p95_ms': {
		max: 150,
		label: 'ticket change to arrival in 500 queue sockets, p95 (ms)'
	},
	'sla.deadlines_per_s': { min: 100_000, label: 'SLA deadline computations per second' },
	'callers.lookup_exact_p99_ms': {
		max: 2,
		label: 'caller ID, exact number, p99 at 1M contacts, in the server (ms)'
	},
	'callers.lookup_suffix_p99_ms': {
		max: 5,
		label: 'caller ID, stripped prefix (suffix match), p99 at 1M contacts, in the server (ms)'
	},
	'hardening.health_p99_ms': {
		max: 50,
		label: '/api/health p99 while 4 anonymous 64 MB logins and a pathological SLA preview arrive (ms)'
	},
	'telephony.screen_pop_p95_ms': {
		max: 150,
		label: 'sipp sends the INVITE -> landing card rendered, p95 of 50 (ms)'
	}
};

const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);

const sections: Record<string, () => Promise<Figures>> = {
	startup: async () => (await import('./foundation.bench')).benchStartup(log),
	callers: async () => {
		const { ensureMillionContacts } = await import('./foundation.bench');
		return (await import('./telephony.bench')).benchCallerLookup(await ensureMillionContacts(log));
	},
	screenpop: async () => (await import('./telephony.bench')).benchScreenPop(50),
	tickets: async () => (await import('./tickets.bench')).benchTickets(log),
	sla: async () => ({
		'sla.deadlines_per_s': Math.round(
			(await (await import('../../server/sla/business-calendar.bench')).benchDeadlines()).perSecond
		)
	}),
	hardening: async () => (await import('./hardening.bench')).benchHardening(log),
	search: async () => {
		const { ensureMillionContacts, benchSearch } = await import('./foundation.bench');
		return benchSearch(await ensureMillionContacts(log));
	}
};

async function main() {
	const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
	const names = wanted.length ? wanted : Object.keys(sections);
	await prepareTemplate();
	const figures: Figures = {};
	for (const name of names) {
		const section = sections[name];
		if (!section)
			throw new Error(`unknown bench section ${name}; known: ${Object.keys(sections).join(', ')}`);
		log(`${name}...`);
		Object.assign(figures, await section());
	}
	const outDir = path.join(rootDir, 'bench-results');
	mkdirSync(outDir, { recursive: true });
	// A run of some sections updates their figures and keeps the others from the last run.
	const previous = path.join(outDir, 'latest.json');
	if (wanted.length && existsSync(previous)) {
		const kept = (JSON.parse(readFileSync(previous, 'utf8')) as { figures: Figures }).figures;
		for (const [key, value] of Object.entries(kept)) if (!(key in figures)) figures[key] = value;
	}
	const machine = `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
	const rows = Object.entries(figures).map(([key, value]) => {
		const target = targets[key];
		const verdict = !target
			? ''
			: (target.max !== undefined && value > target.max) || (target.min !== undefined && value < target.min)
				? 'MISSED'
				: 'met';
		const goal = !target ? '' : target.max !== undefined ? `< ${target.max}` : `> ${target.min}`;
		return { key, value, goal, verdict, label: target?.label ?? '' };
	});
	writeFileSync(
		path.join(outDir, 'latest.json'),
		JSON.stringify({ at: new Date().toISOString(), machine, figures }, null, 2) + '\n'
	);
	const md = [
		`# Benchmark figures`,
		``,
		`${new Date().toISOString()} on ${machine}`,
		``,
		`| figure | value | target | | what |`,
		`| --- | ---: | --- | --- | --- |`,
		...rows.map((r) => `| ${r.key} | ${r.value} | ${r.goal} | ${r.verdict} | ${r.label} |`)
	].join('\n');
	writeFileSync(path.join(outDir, 'latest.md'), md + '\n');
	console.log(md);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
