import { sql } from 'drizzle-orm';
import {
	boolean,
	index,
	integer,
	jsonb,
	pgEnum,
	pgTable,
	primaryKey,
	smallint,
	text,
	timestamp,
	unique,
	uuid,
	type AnyPgColumn
} from 'drizzle-orm/pg-core';
import { roleEnum, users } from './identity';
import { contacts, customers } from './customers';
import { machines } from './machines';
import { contracts, serviceLevelEnum } from './contracts';
import { serviceCenters, serviceGroups } from './workforce';

/** Declaration order is urgency order: `order by priority` puts urgent first. */
export const ticketPriorityEnum = pgEnum('ticket_priority', ['urgent', 'high', 'normal', 'low']);
export type TicketPriority = (typeof ticketPriorityEnum.enumValues)[number];
export const ticketStatusEnum = pgEnum('ticket_status', [
	'new',
	'assigned',
	'in_progress',
	'waiting_customer',
	'waiting_parts',
	'resolved',
	'closed'
]);
export type TicketStatus = (typeof ticketStatusEnum.enumValues)[number];
export const ticketOriginEnum = pgEnum('ticket_origin', [
	'phone',
	'email',
	'portal',
	'contract',
	'rule',
	'manual'
]);
export type TicketOrigin = (typeof ticketOriginEnum.enumValues)[number];
export const actionChannelEnum = pgEnum('action_channel', ['phone', 'email', 'portal', 'onsite', 'internal']);
export type ActionChannel = (typeof actionChannelEnum.enumValues)[number];

/**
 * A ticket is open until resolved or closed. Written as literal SQL, never as parameters, so that
 * the planner can match it against the partial queue indexes below even with a generic plan.
 */
export const ticketIsOpen = sql.raw(`"tickets"."status" not in ('resolved', 'closed')`);
const openPredicate = sql.raw(`status not in ('resolved', 'closed')`);

/** Multi-level classification of a service centre's tickets (e.g. Guasto > Elettrico). */
export const ticketCategories = pgTable(
	'ticket_categories',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		serviceCenterId: uuid('service_center_id')
			.notNull()
			.references(() => serviceCenters.id, { onDelete: 'cascade' }),
		parentId: uuid('parent_id').references((): AnyPgColumn => ticketCategories.id, { onDelete: 'restrict' }),
		code: text('code').notNull(),
		name: text('name').notNull(),
		sortOrder: integer('sort_order').notNull().default(0),
		active: boolean('active').notNull().default(true)
	},
	(t) => [
		unique('ticket_categories_center_code').on(t.serviceCenterId, t.code),
		index('ticket_categories_parent_idx').on(t.parentId)
	]
);

/** One row per service centre and year: the ticket number is taken from it in the creating transaction. */
export const ticketCounters = pgTable(
	'ticket_counters',
	{
		serviceCenterId: uuid('service_center_id')
			.notNull()
			.references(() => serviceCenters.id, { onDelete: 'cascade' }),
		year: smallint('year').notNull(),
		lastValue: integer('last_value').notNull()
	},
	(t) => [primaryKey({ columns: [t.serviceCenterId, t.year] })]
);

/** A stretch of time during which the SLA clock stood still; `to` is null while it lasts. */
export interface SlaPauseRow {
	from: string;
	to: string | null;
}

export const tickets = pgTable(
	'tickets',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** Human-readable, per service centre and year: AT-2026-000123. */
		number: text('number').notNull().unique(),
		serviceCenterId: uuid('service_center_id')
			.notNull()
			.references(() => serviceCenters.id),
		customerId: uuid('customer_id')
			.notNull()
			.references(() => customers.id),
		contactId: uuid('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
		machineId: uuid('machine_id').references(() => machines.id),
		/** The machine's active contract when the ticket was opened. */
		contractId: uuid('contract_id').references(() => contracts.id),
		serviceLevel: serviceLevelEnum('service_level'),
		origin: ticketOriginEnum('origin').notNull(),
		/** The call that opened it; the calls table comes later, hence no foreign key yet. */
		callId: text('call_id'),
		title: text('title').notNull(),
		description: text('description'),
		priority: ticketPriorityEnum('priority').notNull(),
		categoryId: uuid('category_id').references(() => ticketCategories.id),
		status: ticketStatusEnum('status').notNull().default('new'),
		ownerId: uuid('owner_id').references(() => users.id),
		groupId: uuid('group_id').references(() => serviceGroups.id),
		createdById: uuid('created_by_id').references(() => users.id),
		openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
		statusChangedAt: timestamp('status_changed_at', { withTimezone: true }).notNull().defaultNow(),
		/** Since when nobody owns it (null while owned): "unassigned for 30 minutes" counts from here. */
		queuedAt: timestamp('queued_at', { withTimezone: true }),
		resolvedAt: timestamp('resolved_at', { withTimezone: true }),
		closedAt: timestamp('closed_at', { withTimezone: true }),

		// SLA: targets are copied from the policy when the ticket opens, so a later policy edit
		// does not move the deadlines of tickets already promised.
		/** sla_policies.id; no foreign key because db/schema/sla.ts builds on this module's enums. */
		slaPolicyId: uuid('sla_policy_id'),
		slaFirstResponseMinutes: integer('sla_first_response_minutes'),
		slaResolutionMinutes: integer('sla_resolution_minutes'),
		slaPauses: jsonb('sla_pauses').$type<SlaPauseRow[]>().notNull().default([]),
		slaFirstResponseDueAt: timestamp('sla_first_response_due_at', { withTimezone: true }),
		slaFirstResponseWarningAt: timestamp('sla_first_response_warning_at', { withTimezone: true }),
		slaFirstRespondedAt: timestamp('sla_first_responded_at', { withTimezone: true }),
		slaFirstResponseWarned: boolean('sla_first_response_warned').notNull().default(false),
		slaFirstResponseBreached: boolean('sla_first_response_breached').notNull().default(false),
		slaResolutionDueAt: timestamp('sla_resolution_due_at', { withTimezone: true }),
		slaResolutionWarningAt: timestamp('sla_resolution_warning_at', { withTimezone: true }),
		slaResolutionWarned: boolean('sla_resolution_warned').notNull().default(false),
		slaResolutionBreached: boolean('sla_resolution_breached').notNull().default(false),
		/** The deadline the queue counts down to (first response, then resolution); null while paused or done. */
		slaNextDueAt: timestamp('sla_next_due_at', { withTimezone: true }),
		/** The next warning or breach instant the deadline job must look at; null when none is pending. */
		slaNextCheckAt: timestamp('sla_next_check_at', { withTimezone: true }),

		version: integer('version').notNull().default(1),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		// Queue views: each is one ordered range scan of a partial index, "most urgent first".
		index('tickets_queue_center_idx')
			.on(t.serviceCenterId, t.slaNextDueAt, t.openedAt, t.id)
			.where(openPredicate),
		index('tickets_queue_owner_idx').on(t.ownerId, t.slaNextDueAt, t.openedAt, t.id).where(openPredicate),
		index('tickets_queue_group_idx').on(t.groupId, t.slaNextDueAt, t.openedAt, t.id).where(openPredicate),
		index('tickets_queue_to_take_idx')
			.on(t.groupId, t.slaNextDueAt, t.openedAt, t.id)
			.where(sql`${openPredicate} and owner_id is null`),
		index('tickets_queue_to_assign_idx')
			.on(t.serviceCenterId, t.slaNextDueAt, t.openedAt, t.id)
			.where(sql`${openPredicate} and owner_id is null and group_id is null`),
		index('tickets_queue_breached_idx')
			.on(t.serviceCenterId, t.slaNextDueAt, t.openedAt, t.id)
			.where(sql`${openPredicate} and (sla_first_response_breached or sla_resolution_breached)`),
		index('tickets_sla_check_idx')
			.on(t.slaNextCheckAt)
			.where(sql`sla_next_check_at is not null`),
		index('tickets_status_held_idx').on(t.serviceCenterId, t.status, t.statusChangedAt).where(openPredicate),
		index('tickets_queued_idx')
			.on(t.serviceCenterId, t.queuedAt)
			.where(sql`${openPredicate} and owner_id is null`),
		index('tickets_customer_idx').on(t.customerId, t.openedAt),
		index('tickets_machine_idx').on(t.machineId),
		// The global search: words anywhere in the title, and a number's start or end ("000123").
		index('tickets_title_trgm').using('gin', t.title.op('gin_trgm_ops')),
		index('tickets_number_trgm').using('gin', t.number.op('gin_trgm_ops'))
	]
);

/** Primanota: every action on a ticket, written in the same transaction as the change. */
export const ticketHistoryKindEnum = pgEnum('ticket_history_kind', ['created', 'action', 'sla', 'rule']);

export interface HistoryChange {
	from: unknown;
	to: unknown;
}

export const ticketHistory = pgTable(
	'ticket_history',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		ticketId: uuid('ticket_id')
			.notNull()
			.references(() => tickets.id, { onDelete: 'cascade' }),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
		kind: ticketHistoryKindEnum('kind').notNull(),
		/** The operator; null for a background job, named in `actorName`. */
		actorId: uuid('actor_id').references(() => users.id),
		actorName: text('actor_name').notNull(),
		reasonId: uuid('reason_id').references(() => actionReasons.id),
		/** Field name -> {from, to}; owners and groups as {id, name} so the history reads without joins. */
		changes: jsonb('changes').$type<Record<string, HistoryChange>>().notNull().default({}),
		note: text('note'),
		/** Seen by the customer (a reply, a call): the first public action meets the first-response SLA. */
		public: boolean('public').notNull().default(false),
		channel: actionChannelEnum('channel'),
		/** The ticket's version after this entry. */
		version: integer('version').notNull()
	},
	(t) => [index('ticket_history_ticket_idx').on(t.ticketId, t.at)]
);

/**
 * What an action reason does. `assign`: take (to me), choose (ownerId and/or groupId given by
 * the caller), release (nobody owns it, the group keeps it), requeue (assignment rules again).
 */
export interface ActionEffects {
	setStatus?: TicketStatus;
	assign?: 'take' | 'choose' | 'release' | 'requeue';
	note?: 'required' | 'optional';
	/** Placeholder until dispatch exists: recorded in the history as an appointment to schedule. */
	scheduleAppointment?: boolean;
	notify?: NotificationRecipient[];
	/** The action writes an e-mail to the customer; the agent types its text in the action panel. */
	message?: ActionMessageEffect;
}

/**
 * `to`: the ticket's contact or the customer's own address. `includeHistory`: whether the
 * ticket's public history is appended to the e-mail: always, never, or the agent's choice.
 */
export interface ActionMessageEffect {
	to: 'contact' | 'customer';
	includeHistory: 'always' | 'optional' | 'never';
}

/** Who a rule or an action notifies, resolved against the ticket. */
export type NotificationRecipient =
	'owner' | 'group_members' | 'account_manager' | 'service_center_head' | 'supervisors';

/** Causale: a configured action of a service centre. */
export const actionReasons = pgTable(
	'action_reasons',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		serviceCenterId: uuid('service_center_id')
			.notNull()
			.references(() => serviceCenters.id, { onDelete: 'cascade' }),
		code: text('code').notNull(),
		name: text('name').notNull(),
		/** Statuses the action may be used from; empty means any. */
		allowedFrom: ticketStatusEnum('allowed_from')
			.array()
			.notNull()
			.default(sql`'{}'`),
		/** Roles that may use it; empty means anyone who may work tickets. */
		allowedRoles: roleEnum('allowed_roles')
			.array()
			.notNull()
			.default(sql`'{}'`),
		effects: jsonb('effects').$type<ActionEffects>().notNull().default({}),
		defaultChannel: actionChannelEnum('default_channel').notNull().default('internal'),
		public: boolean('public').notNull().default(false),
		sortOrder: integer('sort_order').notNull().default(0),
		active: boolean('active').notNull().default(true),
		version: integer('version').notNull().default(1)
	},
	(t) => [unique('action_reasons_center_code').on(t.serviceCenterId, t.code)]
);

/** Conditions of an assignment rule: every listed field must match (a list matches any of its values). */
export interface AssignmentConditions {
	categoryIds?: string[];
	priorities?: TicketPriority[];
	customerIds?: string[];
	machineModelIds?: string[];
	serviceLevels?: Array<'basic' | 'standard' | 'premium'>;
	origins?: TicketOrigin[];
}

export const assignmentTargetEnum = pgEnum('assignment_target', ['operator', 'group', 'manual']);
/** Inside a group: leave it to the group's queue ("to take"), or pick a member. */
export const groupDistributionEnum = pgEnum('group_distribution', ['queue', 'round_robin', 'least_loaded']);

export const assignmentRules = pgTable(
	'assignment_rules',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		serviceCenterId: uuid('service_center_id')
			.notNull()
			.references(() => serviceCenters.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		/** Rules are tried in this order; the first that matches decides. */
		position: integer('position').notNull(),
		conditions: jsonb('conditions').$type<AssignmentConditions>().notNull().default({}),
		target: assignmentTargetEnum('target').notNull(),
		targetUserId: uuid('target_user_id').references(() => users.id, { onDelete: 'cascade' }),
		targetGroupId: uuid('target_group_id').references(() => serviceGroups.id, { onDelete: 'cascade' }),
		distribution: groupDistributionEnum('distribution').notNull().default('queue'),
		active: boolean('active').notNull().default(true)
	},
	(t) => [index('assignment_rules_center_idx').on(t.serviceCenterId, t.position)]
);

/** Round-robin position of a group: the member who got the last ticket. */
export const groupRotations = pgTable('group_rotations', {
	groupId: uuid('group_id')
		.primaryKey()
		.references(() => serviceGroups.id, { onDelete: 'cascade' }),
	lastUserId: uuid('last_user_id').references(() => users.id, { onDelete: 'set null' })
});

export const automaticTriggerEnum = pgEnum('automatic_trigger', ['status_held', 'unassigned']);
export const automaticActionEnum = pgEnum('automatic_action', ['remind_customer', 'close', 'notify']);

/**
 * Scheduled automatic rules, run by the background job: "waiting for the customer for 5 business
 * days -> remind", "unassigned for 30 minutes -> notify the supervisors".
 */
export const automaticRules = pgTable(
	'automatic_rules',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		serviceCenterId: uuid('service_center_id')
			.notNull()
			.references(() => serviceCenters.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		trigger: automaticTriggerEnum('trigger').notNull(),
		/** For `status_held`: the status the ticket has kept. */
		status: ticketStatusEnum('status'),
		afterMinutes: integer('after_minutes').notNull(),
		/** Count the minutes on the centre's business calendar rather than the wall clock. */
		businessTime: boolean('business_time').notNull().default(true),
		action: automaticActionEnum('action').notNull(),
		recipients: jsonb('recipients').$type<NotificationRecipient[]>().notNull().default([]),
		active: boolean('active').notNull().default(true)
	},
	(t) => [index('automatic_rules_center_idx').on(t.serviceCenterId)]
);

/**
 * A rule fires once per ticket and episode (the instant the status was entered or the ticket
 * was queued): the unique key makes the job idempotent across processes and restarts.
 */
export const automaticRuleFirings = pgTable(
	'automatic_rule_firings',
	{
		ruleId: uuid('rule_id')
			.notNull()
			.references(() => automaticRules.id, { onDelete: 'cascade' }),
		ticketId: uuid('ticket_id')
			.notNull()
			.references(() => tickets.id, { onDelete: 'cascade' }),
		episodeAt: timestamp('episode_at', { withTimezone: true }).notNull(),
		firedAt: timestamp('fired_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.ruleId, t.ticketId, t.episodeAt] }),
		index('automatic_rule_firings_ticket_idx').on(t.ticketId)
	]
);
