import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './identity';
import { ticketHistory, tickets } from './tickets';

export const messageChannelEnum = pgEnum('message_channel', ['email']);
export type MessageChannel = (typeof messageChannelEnum.enumValues)[number];
/** `queued` until the delivery job sends it or gives up after its last attempt (`failed`). */
export const messageStatusEnum = pgEnum('message_status', ['queued', 'sent', 'failed']);
export type MessageStatus = (typeof messageStatusEnum.enumValues)[number];
/** Who the message was addressed to on the ticket: its contact or the customer's own address. */
export const messageRecipientEnum = pgEnum('message_recipient', ['contact', 'customer']);
export type MessageRecipient = (typeof messageRecipientEnum.enumValues)[number];

/**
 * The outbox of messages to a ticket's customer. A row is written in the same transaction as the
 * ticket action that causes it, so a rolled-back action leaves no message behind; the delivery
 * job sends it afterwards, retrying with backoff.
 */
export const messages = pgTable(
	'messages',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		ticketId: uuid('ticket_id')
			.notNull()
			.references(() => tickets.id, { onDelete: 'cascade' }),
		/** The history entry of the action or rule that wrote it. */
		historyId: uuid('history_id').references(() => ticketHistory.id, { onDelete: 'set null' }),
		channel: messageChannelEnum('channel').notNull().default('email'),
		recipient: messageRecipientEnum('recipient').notNull(),
		toAddresses: text('to_addresses').array().notNull(),
		subject: text('subject').notNull(),
		body: text('body').notNull(),
		includesHistory: boolean('includes_history').notNull().default(false),
		status: messageStatusEnum('status').notNull().default('queued'),
		attempts: integer('attempts').notNull().default(0),
		lastError: text('last_error'),
		/** When the delivery job may try (again); backoff moves it forward after a failure. */
		nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
		/** The operator; null for a background job, named in `createdByName`. */
		createdById: uuid('created_by_id').references(() => users.id),
		createdByName: text('created_by_name').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		sentAt: timestamp('sent_at', { withTimezone: true })
	},
	(t) => [
		index('messages_ticket_idx').on(t.ticketId, t.createdAt),
		index('messages_due_idx')
			.on(t.nextAttemptAt)
			.where(sql`status = 'queued'`)
	]
);
