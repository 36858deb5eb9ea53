import { and, asc, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../db/client';
import {
	actionReasons,
	contacts,
	customers,
	messages,
	serviceCenters,
	ticketHistory,
	tickets,
	type ActionMessageEffect,
	type MessageRecipient
} from '../../db/schema';
import type { ServiceArgs } from '../core/context';
import type { DomainEvent } from '../core/events';
import { authorize } from '../auth/policy';
import { badRequest, notFound } from '../core/errors';
import { log } from '../core/log';
import { loadSlaSetup } from '../sla/sla.service';
import { assertServiceCenterVisible } from '../tickets/visibility';
import {
	reminderMail,
	replyBody,
	ticketSubject,
	type EmailHistoryEntry,
	type EmailTicket
} from './email-text';
import type { MessageView, TicketMessages } from './messages.schemas';
import type { MailTransport } from './smtp-transport';

const DEFAULT_TIME_ZONE = 'Europe/Rome';
/** A claimed message is not picked again for this long, even if its sender died mid-way. */
const CLAIM_LEASE_MS = 10 * 60_000;
const MAX_BACKOFF_MS = 6 * 3_600_000;
const DELIVERY_BATCH = 50;

/** What an action or a rule wants to send, before it is written to the outbox. */
export interface MessageDraft {
	recipient: MessageRecipient;
	toAddresses: string[];
	subject: string;
	body: string;
	includesHistory: boolean;
}

interface TicketRef {
	id: string;
	number: string;
	title: string;
	serviceCenterId: string;
	customerId: string;
	contactId: string | null;
}

const emailAddress = z.email();

async function timeZoneOf(db: DbOrTx, serviceCenterId: string): Promise<string> {
	return (await loadSlaSetup(db, serviceCenterId))?.calendar.timeZone ?? DEFAULT_TIME_ZONE;
}

async function emailTicketOf(db: DbOrTx, ticket: TicketRef): Promise<EmailTicket> {
	const [centre] = await db
		.select({ name: serviceCenters.name })
		.from(serviceCenters)
		.where(eq(serviceCenters.id, ticket.serviceCenterId));
	return { number: ticket.number, title: ticket.title, serviceCenterName: centre?.name ?? 'Assistenza' };
}

/**
 * The address a message goes to: the ticket's contact, else the customer's own address (a
 * ticket without a contact still gets its answer); for `customer`, the customer's address only.
 * Null, with the field to name, when there is none.
 */
async function findRecipient(
	db: DbOrTx,
	ticket: TicketRef,
	to: ActionMessageEffect['to']
): Promise<
	| { recipient: MessageRecipient; address: string; contactName: string | null }
	| { recipient: null; field: string; problem: string }
> {
	let contactName: string | null = null;
	if (to === 'contact' && ticket.contactId) {
		const [contact] = await db
			.select({ email: contacts.email, firstName: contacts.firstName, lastName: contacts.lastName })
			.from(contacts)
			.where(eq(contacts.id, ticket.contactId));
		if (contact) contactName = `${contact.firstName} ${contact.lastName}`;
		if (contact?.email?.trim()) {
			const address = contact.email.trim();
			if (!emailAddress.safeParse(address).success)
				return {
					recipient: null,
					field: 'contact.email',
					problem: `"${address}" is not a valid e-mail address`
				};
			return { recipient: 'contact', address, contactName };
		}
	}
	const [customer] = await db
		.select({ email: customers.email, name: customers.companyName })
		.from(customers)
		.where(eq(customers.id, ticket.customerId));
	const address = customer?.email?.trim();
	if (!address) {
		const who =
			to === 'contact'
				? `${contactName ? `the contact ${contactName}` : 'the ticket has no contact and'} nor the customer ${customer?.name ?? ''} has an e-mail address`
				: `the customer ${customer?.name ?? ''} has no e-mail address`;
		return { recipient: null, field: to === 'contact' ? 'contact.email' : 'customer.email', problem: who };
	}
	if (!emailAddress.safeParse(address).success)
		return {
			recipient: null,
			field: 'customer.email',
			problem: `"${address}" is not a valid e-mail address`
		};
	return { recipient: 'customer', address, contactName };
}

/**
 * The public history of a ticket, oldest first, as the customer may read it. Internal entries
 * (notes between operators, reassignments) stay out: the customer sees what was public anyway.
 */
async function publicHistory(db: DbOrTx, ticketId: string): Promise<EmailHistoryEntry[]> {
	const rows = await db
		.select({
			at: ticketHistory.at,
			kind: ticketHistory.kind,
			actorName: ticketHistory.actorName,
			reasonName: actionReasons.name,
			changes: ticketHistory.changes,
			note: ticketHistory.note
		})
		.from(ticketHistory)
		.leftJoin(actionReasons, eq(actionReasons.id, ticketHistory.reasonId))
		.where(and(eq(ticketHistory.ticketId, ticketId), eq(ticketHistory.public, true)))
		.orderBy(asc(ticketHistory.at), asc(ticketHistory.version));
	return rows;
}

/**
 * The e-mail an action reason with a `message` effect sends: the operator's note is its text,
 * the history is appended as the effect says (or as the operator chose, when optional). Throws
 * a 400 naming the field before anything is written.
 */
export async function draftActionEmail(
	db: DbOrTx,
	args: {
		ticket: TicketRef;
		reasonName: string;
		effect: ActionMessageEffect;
		note: string | undefined;
		includeHistory: boolean | undefined;
	}
): Promise<MessageDraft> {
	const { effect, reasonName } = args;
	if (!args.note) throw badRequest(`note: "${reasonName}" sends an e-mail: write its text`, 'note');
	if (effect.includeHistory === 'always' && args.includeHistory === false)
		throw badRequest(`includeHistory: "${reasonName}" always includes the history`, 'includeHistory');
	if (effect.includeHistory === 'never' && args.includeHistory === true)
		throw badRequest(`includeHistory: "${reasonName}" never includes the history`, 'includeHistory');
	const includesHistory =
		effect.includeHistory === 'always' ||
		(effect.includeHistory === 'optional' && args.includeHistory === true);
	const found = await findRecipient(db, args.ticket, effect.to);
	if (!found.recipient) throw badRequest(`${found.field}: ${found.problem}`, found.field);
	const ticket = await emailTicketOf(db, args.ticket);
	const history = includesHistory
		? {
				entries: await publicHistory(db, args.ticket.id),
				timeZone: await timeZoneOf(db, args.ticket.serviceCenterId)
			}
		: null;
	return {
		recipient: found.recipient,
		toAddresses: [found.address],
		subject: ticketSubject(ticket),
		body: replyBody({ ticket, text: args.note, history }),
		includesHistory
	};
}

/** The reminder of a ticket waiting for the customer; null (with why) when there is no address. */
export async function draftReminderEmail(
	db: DbOrTx,
	ticket: TicketRef & { statusChangedAt: Date }
): Promise<{ draft: MessageDraft } | { draft: null; problem: string }> {
	const found = await findRecipient(db, ticket, 'contact');
	if (!found.recipient) return { draft: null, problem: `${found.field}: ${found.problem}` };
	const mail = reminderMail({
		ticket: await emailTicketOf(db, ticket),
		contactName: found.recipient === 'contact' ? found.contactName : null,
		waitingSince: ticket.statusChangedAt,
		timeZone: await timeZoneOf(db, ticket.serviceCenterId)
	});
	return {
		draft: {
			recipient: found.recipient,
			toAddresses: [found.address],
			subject: mail.subject,
			body: mail.body,
			includesHistory: false
		}
	};
}

/** What the history entry of the action says about its message. */
export const messageChange = (draft: MessageDraft) => ({
	from: null,
	to: { to: draft.toAddresses, subject: draft.subject, includesHistory: draft.includesHistory }
});

/**
 * Writes the message to the outbox in the caller's transaction (the one that writes the ticket's
 * history), so both exist or neither. The delivery job sends it after commit.
 */
export async function queueMessage(
	tx: { db: DbOrTx; raise: (event: DomainEvent) => void },
	args: {
		draft: MessageDraft;
		ticket: { id: string; serviceCenterId: string };
		historyId: string | null;
		createdById: string | null;
		createdByName: string;
		now: Date;
	}
): Promise<string> {
	const [row] = await tx.db
		.insert(messages)
		.values({
			...args.draft,
			ticketId: args.ticket.id,
			historyId: args.historyId,
			channel: 'email',
			createdById: args.createdById,
			createdByName: args.createdByName,
			createdAt: args.now,
			nextAttemptAt: args.now
		})
		.returning({ id: messages.id });
	tx.raise({
		type: 'message.changed',
		ticketId: args.ticket.id,
		serviceCenterId: args.ticket.serviceCenterId,
		messageId: row.id,
		status: 'queued'
	});
	return row.id;
}

const toView = (m: typeof messages.$inferSelect): MessageView => ({
	id: m.id,
	ticketId: m.ticketId,
	historyId: m.historyId,
	channel: m.channel,
	recipient: m.recipient,
	toAddresses: m.toAddresses,
	subject: m.subject,
	body: m.body,
	includesHistory: m.includesHistory,
	status: m.status,
	attempts: m.attempts,
	lastError: m.lastError,
	nextAttemptAt: m.status === 'queued' ? m.nextAttemptAt.toISOString() : null,
	createdByName: m.createdByName,
	createdAt: m.createdAt.toISOString(),
	sentAt: m.sentAt?.toISOString() ?? null
});

/** The outgoing messages of a ticket, newest first. */
export async function listTicketMessages({
	ctx,
	input
}: ServiceArgs<{ ticketId: string; mailConfigured: boolean }>): Promise<TicketMessages> {
	authorize(ctx.actor, 'tickets:read');
	const [ticket] = await ctx.db
		.select({ serviceCenterId: tickets.serviceCenterId })
		.from(tickets)
		.where(eq(tickets.id, input.ticketId));
	if (!ticket) throw notFound('Ticket');
	await assertServiceCenterVisible(ctx, ticket.serviceCenterId);
	const rows = await ctx.db
		.select()
		.from(messages)
		.where(eq(messages.ticketId, input.ticketId))
		.orderBy(desc(messages.createdAt), desc(messages.id));
	return { items: rows.map(toView), mailConfigured: input.mailConfigured };
}

/** `Assistenza <help@example.it>` -> example.it, for Message-IDs of our own domain. */
function senderDomain(from: string): string {
	return /@([^\s>]+)/.exec(from)?.[1] ?? 'localhost';
}

/**
 * The delivery job: claims due queued messages (SKIP LOCKED, and a lease on next_attempt_at so
 * a crashed sender's messages come back later), sends each, and records sent, or the error and
 * the next attempt with exponential backoff, or failed after the last attempt.
 */
export async function deliverDueMessages({
	ctx,
	input
}: ServiceArgs<{
	now: Date;
	transport: MailTransport;
	from: string;
	maxAttempts: number;
	retryBaseMs: number;
}>): Promise<{ sent: number; failed: number; retried: number }> {
	authorize(ctx.actor, 'tickets:write');
	const due = ctx.db
		.select({ id: messages.id })
		.from(messages)
		.where(and(eq(messages.status, 'queued'), lte(messages.nextAttemptAt, input.now)))
		.orderBy(asc(messages.nextAttemptAt))
		.limit(DELIVERY_BATCH)
		.for('update', { skipLocked: true });
	const claimed = await ctx.db
		.update(messages)
		.set({
			attempts: sql`${messages.attempts} + 1`,
			nextAttemptAt: new Date(input.now.getTime() + CLAIM_LEASE_MS)
		})
		.where(inArray(messages.id, due))
		.returning();
	if (claimed.length === 0) return { sent: 0, failed: 0, retried: 0 };
	const centres = new Map(
		(
			await ctx.db
				.select({ id: tickets.id, serviceCenterId: tickets.serviceCenterId })
				.from(tickets)
				.where(inArray(tickets.id, [...new Set(claimed.map((m) => m.ticketId))]))
		).map((t) => [t.id, t.serviceCenterId])
	);
	const domain = senderDomain(input.from);
	const result = { sent: 0, failed: 0, retried: 0 };
	for (const message of claimed) {
		let outcome: Partial<typeof messages.$inferInsert>;
		try {
			await input.transport.send({
				from: input.from,
				to: message.toAddresses,
				subject: message.subject,
				text: message.body,
				// The same Message-ID on every attempt: a server that got it twice can tell.
				messageId: `<${message.id}@${domain}>`
			});
			outcome = { status: 'sent', sentAt: new Date(), lastError: null };
			result.sent++;
		} catch (error) {
			const lastError = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
			if (message.attempts >= input.maxAttempts) {
				outcome = { status: 'failed', lastError };
				result.failed++;
				log.warn('e-mail failed for good', { messageId: message.id, attempts: message.attempts, lastError });
			} else {
				const backoff = Math.min(input.retryBaseMs * 2 ** (message.attempts - 1), MAX_BACKOFF_MS);
				outcome = { lastError, nextAttemptAt: new Date(input.now.getTime() + backoff) };
				result.retried++;
			}
		}
		// Only the attempt that claimed it records its outcome.
		const [updated] = await ctx.db
			.update(messages)
			.set(outcome)
			.where(
				and(
					eq(messages.id, message.id),
					eq(messages.status, 'queued'),
					eq(messages.attempts, message.attempts)
				)
			)
			.returning({ status: messages.status });
		const serviceCenterId = centres.get(message.ticketId);
		if (updated && serviceCenterId) {
			ctx.events.publish({
				type: 'message.changed',
				ticketId: message.ticketId,
				serviceCenterId,
				messageId: message.id,
				status: updated.status
			});
		}
	}
	return result;
}
