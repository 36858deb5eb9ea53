import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, real, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import type { BusinessCalendarInput } from '../../server/sla/business-calendar';
import { serviceLevelEnum } from './contracts';
import { ticketPriorityEnum, ticketStatusEnum } from './tickets';
import { serviceCenters } from './workforce';

/** Calendario lavorativo: working hours, time zone, holidays and closures, validated with businessCalendarSchema. */
export const businessCalendars = pgTable('business_calendars', {
	id: uuid('id').primaryKey().defaultRandom(),
	name: text('name').notNull(),
	config: jsonb('config').$type<BusinessCalendarInput>().notNull(),
	version: integer('version').notNull().default(1),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});

/** One SLA policy per service centre: its calendar, when to warn, and which statuses stop the clock. */
export const slaPolicies = pgTable('sla_policies', {
	id: uuid('id').primaryKey().defaultRandom(),
	serviceCenterId: uuid('service_center_id')
		.notNull()
		.unique()
		.references(() => serviceCenters.id, { onDelete: 'cascade' }),
	calendarId: uuid('calendar_id')
		.notNull()
		.references(() => businessCalendars.id),
	/** Share of the target after which the warning fires (0.75: at three quarters). */
	warningShare: real('warning_share').notNull().default(0.75),
	/** While the ticket is in one of these statuses the clock stands still (resolved and closed always stop it). */
	pauseStatuses: ticketStatusEnum('pause_statuses')
		.array()
		.notNull()
		.default(sql`'{waiting_customer}'`),
	version: integer('version').notNull().default(1)
});

/**
 * Targets in business minutes, per priority; a row with a service level overrides the default
 * row (service level null) for tickets under a contract of that level.
 */
export const slaTargets = pgTable(
	'sla_targets',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		policyId: uuid('policy_id')
			.notNull()
			.references(() => slaPolicies.id, { onDelete: 'cascade' }),
		priority: ticketPriorityEnum('priority').notNull(),
		serviceLevel: serviceLevelEnum('service_level'),
		firstResponseMinutes: integer('first_response_minutes').notNull(),
		resolutionMinutes: integer('resolution_minutes').notNull()
	},
	(t) => [
		unique('sla_targets_policy_priority_level').on(t.policyId, t.priority, t.serviceLevel).nullsNotDistinct(),
		index('sla_targets_policy_idx').on(t.policyId)
	]
);
