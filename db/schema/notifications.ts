import { boolean, index, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { users } from './identity';
import { ticketPriorityEnum, ticketOriginEnum, tickets, type NotificationRecipient } from './tickets';
import { serviceCenters } from './workforce';

export const notificationKindEnum = pgEnum('notification_kind', [
	'ticket_opened',
	'ticket_assigned',
	'ticket_closed',
	'sla_warning',
	'sla_breached',
	'ticket_unassigned',
	'customer_reminded',
	'ticket_auto_closed',
	'rule_notice',
	'action_notice'
]);
export type NotificationKind = (typeof notificationKindEnum.enumValues)[number];

/** What the UI needs to word a notification in the reader's language. */
export interface NotificationData {
	number?: string;
	title?: string;
	priority?: string;
	customerName?: string;
	ruleName?: string;
	reasonName?: string;
	actorName?: string;
	deadline?: 'first_response' | 'resolution';
	note?: string;
}

/** The bell: one row per recipient. */
export const notifications = pgTable(
	'notifications',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		kind: notificationKindEnum('kind').notNull(),
		ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'cascade' }),
		serviceCenterId: uuid('service_center_id').references(() => serviceCenters.id, { onDelete: 'cascade' }),
		data: jsonb('data').$type<NotificationData>().notNull().default({}),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		readAt: timestamp('read_at', { withTimezone: true })
	},
	(t) => [
		index('notifications_user_idx').on(t.userId, t.createdAt),
		index('notifications_unread_idx')
			.on(t.userId)
			.where(sql`read_at is null`)
	]
);

export const notificationEventEnum = pgEnum('notification_event', [
	'ticket_opened',
	'ticket_assigned',
	'ticket_closed',
	'sla_warning',
	'sla_breached'
]);
export type NotificationEvent = (typeof notificationEventEnum.enumValues)[number];

export interface NotificationConditions {
	priorities?: Array<(typeof ticketPriorityEnum.enumValues)[number]>;
	origins?: Array<(typeof ticketOriginEnum.enumValues)[number]>;
	categoryIds?: string[];
	customerBlocked?: boolean;
}

/** "A high-priority ticket closed -> the account manager"; "opened for a blocked customer -> the centre head". */
export const notificationRules = pgTable(
	'notification_rules',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		serviceCenterId: uuid('service_center_id')
			.notNull()
			.references(() => serviceCenters.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		event: notificationEventEnum('event').notNull(),
		conditions: jsonb('conditions').$type<NotificationConditions>().notNull().default({}),
		recipients: jsonb('recipients').$type<NotificationRecipient[]>().notNull(),
		active: boolean('active').notNull().default(true)
	},
	(t) => [index('notification_rules_center_idx').on(t.serviceCenterId, t.event)]
);
