import type { DatabaseHandle } from '../../db/client';
import type { Ctx } from '../core/context';
import type { DomainEventBus } from '../core/events';
import { runSlaDeadlines } from '../sla/sla-deadlines.job';
import { runAutomaticRules } from '../tickets/automatic-rules.job';
import { startJobRunner, type JobRunner } from './job-runner';

/** Every background job of the console, with its period. Started once per server process. */
export function startBackgroundJobs(deps: { database: DatabaseHandle; events: DomainEventBus }): JobRunner {
	const ctxOf = (name: string): Ctx => ({
		actor: { kind: 'system', name },
		db: deps.database.db,
		events: deps.events
	});
	return startJobRunner(deps.database, [
		// Warnings and breaches must reach the queues close to their instant.
		{
			name: 'sla-deadlines',
			everyMs: 5_000,
			run: (now) => runSlaDeadlines({ ctx: ctxOf('SLA'), input: { now } })
		},
		{
			name: 'automatic-rules',
			everyMs: 60_000,
			run: (now) => runAutomaticRules({ ctx: ctxOf('automatic rules'), input: { now } })
		}
	]);
}
