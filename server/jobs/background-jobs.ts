import type { DatabaseHandle } from '../../db/client';
import type { Config } from '../config';
import type { Ctx } from '../core/context';
import type { DomainEventBus } from '../core/events';
import { runSlaDeadlines } from '../sla/sla-deadlines.job';
import { runAutomaticRules } from '../tickets/automatic-rules.job';
import { deliverDueMessages } from '../messages/messages.service';
import { createSmtpTransport } from '../messages/smtp-transport';
import { startJobRunner, type JobRunner } from './job-runner';
import { dropExpiredIdempotencyKeys } from '../core/idempotency';

/** Every background job of the console, with its period. Started once per server process. */
export function startBackgroundJobs(deps: {
	database: DatabaseHandle;
	events: DomainEventBus;
	mail: Config['mail'];
}): JobRunner {
	const ctxOf = (name: string): Ctx => ({
		actor: { kind: 'system', name },
		db: deps.database.db,
		events: deps.events
	});
	// Without SMTP_URL there is no delivery job: e-mails wait in the outbox, shown as not sent.
	const transport = createSmtpTransport(deps.mail);
	return startJobRunner(deps.database, [
		// Warnings and breaches must reach the queues close to their instant.
		{
			name: 'sla-deadlines',
			everyMs: 5_000,
			run: (now) => runSlaDeadlines({ ctx: ctxOf('SLA'), input: { now } })
		},
		{
			name: 'idempotency-keys',
			everyMs: 3_600_000,
			run: (now) => dropExpiredIdempotencyKeys(deps.database.db, now)
		},
		{
			name: 'automatic-rules',
			everyMs: 60_000,
			run: (now) => runAutomaticRules({ ctx: ctxOf('automatic rules'), input: { now } })
		},
		...(transport
			? [
					{
						name: 'message-delivery',
						everyMs: 5_000,
						run: (now: Date) =>
							deliverDueMessages({
								ctx: ctxOf('e-mail'),
								input: {
									now,
									transport,
									from: deps.mail.from,
									maxAttempts: deps.mail.maxAttempts,
									retryBaseMs: deps.mail.retryBaseMs
								}
							})
					}
				]
			: [])
	]);
}
