import type { DatabaseHandle } from '../../db/client';
import { log } from '../core/log';

/**
 * Periodic background jobs, safe with several server processes. Before each run a process takes
 * a PostgreSQL advisory lock named after the job on a connection of its own; a process that
 * cannot take it skips the run, so a job never runs twice at once. A crashed process drops its
 * connection and with it the lock. The jobs themselves claim rows with FOR UPDATE SKIP LOCKED.
 */

export interface Job {
	name: string;
	everyMs: number;
	run(now: Date): Promise<unknown>;
}

export interface JobRunner {
	/** Runs a job now (tests, an administrator's "run now"), under the same lock. */
	runNow(name: string): Promise<boolean>;
	stop(): Promise<void>;
}

// The first key of the two-key advisory lock; the second is hashtext(job name).
const LOCK_NAMESPACE = 727_100;

/** `schedule: false` only runs jobs on `runNow` (tests). */
export function startJobRunner(
	database: DatabaseHandle,
	jobs: Job[],
	options: { schedule?: boolean } = {}
): JobRunner {
	let stopped = false;
	const timers = new Set<NodeJS.Timeout>();
	const running = new Set<Promise<unknown>>();

	async function runLocked(job: Job): Promise<boolean> {
		const connection = await database.sql.reserve();
		try {
			const [{ locked }] = await connection<
				Array<{ locked: boolean }>
			>`select pg_try_advisory_lock(${LOCK_NAMESPACE}, hashtext(${job.name})) as locked`;
			if (!locked) return false;
			try {
				const started = Date.now();
				await job.run(new Date());
				const ms = Date.now() - started;
				if (ms > job.everyMs) log.warn('job ran longer than its period', { job: job.name, ms });
				return true;
			} finally {
				await connection`select pg_advisory_unlock(${LOCK_NAMESPACE}, hashtext(${job.name}))`;
			}
		} finally {
			connection.release();
		}
	}

	function track<T>(promise: Promise<T>): Promise<T> {
		running.add(promise);
		void promise.finally(() => running.delete(promise)).catch(() => undefined);
		return promise;
	}

	function schedule(job: Job, delayMs: number) {
		if (stopped) return;
		const timer = setTimeout(() => {
			timers.delete(timer);
			void track(runLocked(job))
				.catch((error: unknown) => log.error('background job failed', { job: job.name, error }))
				.finally(() => schedule(job, job.everyMs));
		}, delayMs);
		timer.unref();
		timers.add(timer);
	}

	// Spread the first runs so that processes started together do not all knock at once.
	if (options.schedule !== false)
		for (const job of jobs) schedule(job, Math.floor(Math.random() * Math.min(job.everyMs, 5_000)));

	return {
		async runNow(name) {
			const job = jobs.find((j) => j.name === name);
			if (!job) throw new Error(`no job named ${name}`);
			return track(runLocked(job));
		},
		async stop() {
			stopped = true;
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
			await Promise.allSettled([...running]);
		}
	};
}
