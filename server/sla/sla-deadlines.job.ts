import { asc, eq, lte } from 'drizzle-orm';
import { slaPolicies, tickets, type HistoryChange } from '../../db/schema';
import { inTransaction, type ServiceArgs } from '../core/context';
import { authorize } from '../auth/policy';
import type { DomainEvent } from '../core/events';
import { factsOf, saveTicketChange, type Ticket, type TicketChangeSet } from '../tickets/ticket-changes';
import { applyNotificationRules } from '../notifications/notification-rules';
import { clockStopped, pendingInstants } from './ticket-sla';
import type { SlaAlert } from './sla.schemas';

type Deadline = SlaAlert['deadline'];

/**
 * The deadline job: fires the warning and breach of every ticket whose next SLA instant has
 * come, marks it on the ticket (a breach stays marked) and pushes it live. Tickets are claimed
 * with FOR UPDATE SKIP LOCKED, so a ticket being changed by an operator is simply looked at on
 * the next run, and two processes never fire the same alert.
 */
export async function runSlaDeadlines({
	ctx,
	input
}: ServiceArgs<{ now: Date; batchSize?: number }>): Promise<{ alerts: number }> {
	authorize(ctx.actor, 'tickets:write');
	const batchSize = input.batchSize ?? 200;
	const pauseStatusesOf = new Map<string, Ticket['status'][]>();
	let alerts = 0;
	for (;;) {
		const claimed = await inTransaction(ctx, async (tx) => {
			const due = await tx.db
				.select()
				.from(tickets)
				.where(lte(tickets.slaNextCheckAt, input.now))
				.orderBy(asc(tickets.slaNextCheckAt))
				.limit(batchSize)
				.for('update', { skipLocked: true });
			for (const ticket of due) {
				let pauseStatuses = pauseStatusesOf.get(ticket.serviceCenterId);
				if (!pauseStatuses) {
					const [policy] = await tx.db
						.select({ pauseStatuses: slaPolicies.pauseStatuses })
						.from(slaPolicies)
						.where(eq(slaPolicies.serviceCenterId, ticket.serviceCenterId));
					pauseStatuses = policy?.pauseStatuses ?? [];
					pauseStatusesOf.set(ticket.serviceCenterId, pauseStatuses);
				}
				alerts += await fireDue(tx, ticket, pauseStatuses, input.now);
			}
			return due.length;
		});
		if (claimed < batchSize) return { alerts };
	}
}

async function fireDue(
	tx: { db: Parameters<typeof saveTicketChange>[0]['db']; raise: (event: DomainEvent) => void },
	ticket: Ticket,
	pauseStatuses: Ticket['status'][],
	now: Date
): Promise<number> {
	const set: TicketChangeSet = {};
	const changes: Record<string, HistoryChange> = {};
	const fired: Array<{ deadline: Deadline; level: SlaAlert['level']; dueAt: Date }> = [];
	const check = (
		deadline: Deadline,
		dueAt: Date | null,
		warningAt: Date | null,
		warned: boolean,
		breached: boolean
	) => {
		const [warnedKey, breachedKey] =
			deadline === 'first_response'
				? (['slaFirstResponseWarned', 'slaFirstResponseBreached'] as const)
				: (['slaResolutionWarned', 'slaResolutionBreached'] as const);
		if (!breached && dueAt && dueAt <= now) {
			// A breach found late (the job was down) does not also send the stale warning.
			set[breachedKey] = true;
			set[warnedKey] = true;
			changes[breachedKey] = { from: false, to: true };
			fired.push({ deadline, level: 'breach', dueAt });
		} else if (!warned && warningAt && warningAt <= now && dueAt) {
			set[warnedKey] = true;
			changes[warnedKey] = { from: false, to: true };
			fired.push({ deadline, level: 'warning', dueAt });
		}
	};
	if (!clockStopped(pauseStatuses, ticket.status)) {
		if (!ticket.slaFirstRespondedAt) {
			check(
				'first_response',
				ticket.slaFirstResponseDueAt,
				ticket.slaFirstResponseWarningAt,
				ticket.slaFirstResponseWarned,
				ticket.slaFirstResponseBreached
			);
		}
		check(
			'resolution',
			ticket.slaResolutionDueAt,
			ticket.slaResolutionWarningAt,
			ticket.slaResolutionWarned,
			ticket.slaResolutionBreached
		);
	}
	const next = pendingInstants(pauseStatuses, { ...ticket, ...set });
	if (fired.length === 0) {
		// Nothing due after all (the ticket changed since it was scheduled): reschedule quietly.
		await tx.db.update(tickets).set({ slaNextCheckAt: next.slaNextCheckAt }).where(eq(tickets.id, ticket.id));
		return 0;
	}
	const saved = await saveTicketChange(tx, {
		ticket,
		expectVersion: ticket.version,
		set: { ...set, ...next },
		now,
		history: { kind: 'sla', actorId: null, actorName: 'SLA', changes }
	});
	if (!saved) return 0; // the row is locked by us: cannot happen, but never fire twice
	for (const alert of fired) {
		tx.raise({
			type: 'ticket.sla_alert',
			alert: {
				ticketId: ticket.id,
				number: ticket.number,
				serviceCenterId: ticket.serviceCenterId,
				version: saved.ticket.version,
				deadline: alert.deadline,
				level: alert.level,
				dueAt: alert.dueAt.toISOString()
			}
		});
		await applyNotificationRules(
			tx,
			alert.level === 'breach' ? 'sla_breached' : 'sla_warning',
			factsOf(ticket),
			{ data: { deadline: alert.deadline } }
		);
	}
	return fired.length;
}
