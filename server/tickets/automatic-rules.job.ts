import { and, asc, eq, isNull, lte, sql } from 'drizzle-orm';
import {
	automaticRuleFirings,
	automaticRules,
	tickets,
	ticketIsOpen,
	type HistoryChange
} from '../../db/schema';
import { inTransaction, type ServiceArgs } from '../core/context';
import { authorize } from '../auth/policy';
import { addBusinessMinutes } from '../sla/business-calendar';
import { loadSlaSetup } from '../sla/sla.service';
import { clockStopped, computeTicketSla, updatePauses, type SlaSetup } from '../sla/ticket-sla';
import { applyNotificationRules, resolveRecipients } from '../notifications/notification-rules';
import { sendNotifications } from '../notifications/notifications.service';
import { draftReminderEmail, messageChange, queueMessage } from '../messages/messages.service';
import { factsOf, saveTicketChange, type Ticket, type TicketChangeSet } from './ticket-changes';

type AutomaticRule = typeof automaticRules.$inferSelect;

const CANDIDATES_PER_RULE = 500;

/**
 * Scheduled automatic rules: "waiting for the customer for N business minutes -> remind, or
 * close", "unassigned for N minutes -> notify". Each rule fires once per ticket and episode
 * (the instant the status was entered, or the ticket queued); the firing row and the change are
 * written in one transaction, so a rule fires exactly once however many processes run the job.
 */
export async function runAutomaticRules({
	ctx,
	input
}: ServiceArgs<{ now: Date }>): Promise<{ fired: number }> {
	authorize(ctx.actor, 'tickets:write');
	const rules = await ctx.db.select().from(automaticRules).where(eq(automaticRules.active, true));
	const setups = new Map<string, SlaSetup | null>();
	let fired = 0;
	for (const rule of rules) {
		if (!setups.has(rule.serviceCenterId))
			setups.set(rule.serviceCenterId, await loadSlaSetup(ctx.db, rule.serviceCenterId));
		const setup = setups.get(rule.serviceCenterId) ?? null;
		const episode = rule.trigger === 'unassigned' ? tickets.queuedAt : tickets.statusChangedAt;
		// Business minutes never outnumber wall minutes: the wall-clock cut-off is a safe first filter.
		const wallCutoff = new Date(input.now.getTime() - rule.afterMinutes * 60_000);
		const candidates = await ctx.db
			.select({ id: tickets.id, episodeAt: episode })
			.from(tickets)
			.where(
				and(
					eq(tickets.serviceCenterId, rule.serviceCenterId),
					ticketIsOpen,
					rule.trigger === 'unassigned'
						? isNull(tickets.ownerId)
						: eq(tickets.status, rule.status ?? 'waiting_customer'),
					lte(episode, wallCutoff),
					sql`not exists (select 1 from ${automaticRuleFirings} f where f.rule_id = ${rule.id} and f.ticket_id = ${tickets.id} and f.episode_at = ${episode})`
				)
			)
			.orderBy(asc(episode))
			.limit(CANDIDATES_PER_RULE);
		for (const candidate of candidates) {
			const episodeAt = candidate.episodeAt!;
			if (
				rule.businessTime &&
				setup &&
				addBusinessMinutes(setup.calendar, episodeAt, rule.afterMinutes) > input.now
			) {
				// Older episodes come due first: the rest of the list is not due either.
				break;
			}
			if (await fire(ctx, rule, candidate.id, episodeAt, setup, input.now)) fired++;
		}
	}
	return { fired };
}

async function fire(
	ctx: ServiceArgs<unknown>['ctx'],
	rule: AutomaticRule,
	ticketId: string,
	episodeAt: Date,
	setup: SlaSetup | null,
	now: Date
): Promise<boolean> {
	return inTransaction(ctx, async (tx) => {
		const [ticket] = await tx.db
			.select()
			.from(tickets)
			.where(eq(tickets.id, ticketId))
			.for('update', { skipLocked: true });
		if (!ticket || !stillMatches(rule, ticket, episodeAt)) return false;
		const [firing] = await tx.db
			.insert(automaticRuleFirings)
			.values({ ruleId: rule.id, ticketId, episodeAt, firedAt: now })
			.onConflictDoNothing()
			.returning();
		if (!firing) return false;

		const actorName = `Regola automatica: ${rule.name}`;
		const facts = factsOf(ticket);
		const data = { number: ticket.number, title: ticket.title, ruleName: rule.name };
		if (rule.action === 'notify') {
			const kind = rule.trigger === 'unassigned' ? 'ticket_unassigned' : 'rule_notice';
			await sendNotifications(tx, await resolveRecipients(tx.db, rule.recipients, facts), {
				kind,
				ticketId,
				serviceCenterId: ticket.serviceCenterId,
				data
			});
			return true;
		}
		if (rule.action === 'remind_customer') {
			// The reminder e-mail is queued with the history row; without an address the history says why.
			const reminder = await draftReminderEmail(tx.db, ticket);
			const changes: Record<string, HistoryChange> = { reminder: { from: null, to: 'customer' } };
			if (reminder.draft) changes.message = messageChange(reminder.draft);
			const saved = await saveTicketChange(tx, {
				ticket,
				expectVersion: ticket.version,
				set: {},
				now,
				history: {
					kind: 'rule',
					actorId: null,
					actorName,
					changes,
					note: reminder.draft ? null : `E-mail non inviata: ${reminder.problem}`,
					public: true,
					channel: 'email'
				}
			});
			if (saved && reminder.draft) {
				await queueMessage(tx, {
					draft: reminder.draft,
					ticket,
					historyId: saved.historyId,
					createdById: null,
					createdByName: actorName,
					now
				});
			}
			if (saved) {
				await sendNotifications(tx, await resolveRecipients(tx.db, rule.recipients, facts), {
					kind: 'customer_reminded',
					ticketId,
					serviceCenterId: ticket.serviceCenterId,
					data
				});
			}
			return saved !== null;
		}
		const set: TicketChangeSet = {
			status: 'closed',
			statusChangedAt: now,
			closedAt: now,
			resolvedAt: ticket.resolvedAt ?? now
		};
		const changes: Record<string, HistoryChange> = { status: { from: ticket.status, to: 'closed' } };
		if (setup && (ticket.slaResolutionMinutes !== null || ticket.slaFirstResponseMinutes !== null)) {
			const pauses = updatePauses(
				ticket.slaPauses,
				clockStopped(setup.pauseStatuses, ticket.status),
				true,
				now
			);
			Object.assign(
				set,
				{ slaPauses: pauses },
				computeTicketSla(setup, { ...ticket, status: 'closed', slaPauses: pauses })
			);
		}
		const saved = await saveTicketChange(tx, {
			ticket,
			expectVersion: ticket.version,
			set,
			now,
			history: { kind: 'rule', actorId: null, actorName, changes }
		});
		if (!saved) return false;
		await sendNotifications(tx, await resolveRecipients(tx.db, rule.recipients, facts), {
			kind: 'ticket_auto_closed',
			ticketId,
			serviceCenterId: ticket.serviceCenterId,
			data
		});
		await applyNotificationRules(tx, 'ticket_closed', factsOf(saved.ticket), { data: { actorName } });
		return true;
	});
}

/** The ticket is still in the episode the rule was looking at (nobody acted in the meantime). */
function stillMatches(rule: AutomaticRule, ticket: Ticket, episodeAt: Date): boolean {
	if (ticket.status === 'resolved' || ticket.status === 'closed') return false;
	if (rule.trigger === 'unassigned')
		return ticket.ownerId === null && ticket.queuedAt?.getTime() === episodeAt.getTime();
	return ticket.status === rule.status && ticket.statusChangedAt.getTime() === episodeAt.getTime();
}
