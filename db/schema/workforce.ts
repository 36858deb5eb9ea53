import {
	boolean,
	doublePrecision,
	index,
	integer,
	jsonb,
	pgEnum,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uuid
} from 'drizzle-orm/pg-core';
import { users } from './identity';

export type WeekHours = Partial<
	Record<'1' | '2' | '3' | '4' | '5' | '6' | '7', Array<{ start: string; end: string }>>
>;

export const technicians = pgTable('technicians', {
	id: uuid('id').primaryKey().defaultRandom(),
	userId: uuid('user_id')
		.notNull()
		.unique()
		.references(() => users.id, { onDelete: 'cascade' }),
	skills: text('skills').array().notNull().default([]),
	homeBaseCity: text('home_base_city').notNull(),
	homeBaseLatitude: doublePrecision('home_base_latitude').notNull(),
	homeBaseLongitude: doublePrecision('home_base_longitude').notNull(),
	workingHours: jsonb('working_hours').$type<WeekHours>().notNull(),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});

export const serviceCenterAccessEnum = pgEnum('service_center_access', ['open', 'reserved']);

/** Centro servizi: a ticket desk for one subject. */
export const serviceCenters = pgTable('service_centers', {
	id: uuid('id').primaryKey().defaultRandom(),
	code: text('code').notNull().unique(),
	name: text('name').notNull(),
	access: serviceCenterAccessEnum('access').notNull().default('open'),
	headUserId: uuid('head_user_id').references(() => users.id, { onDelete: 'set null' }),
	active: boolean('active').notNull().default(true),
	/** The centre's own mailbox (assistenza@...), for whoever writes to the desk. */
	email: text('email'),
	version: integer('version').notNull().default(1),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});

/** A group of operators inside a service centre: tickets are assigned to a group or a person. */
export const serviceGroups = pgTable(
	'service_groups',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		serviceCenterId: uuid('service_center_id')
			.notNull()
			.references(() => serviceCenters.id, { onDelete: 'cascade' }),
		name: text('name').notNull()
	},
	(t) => [index('service_groups_center_idx').on(t.serviceCenterId)]
);

export const serviceGroupMembers = pgTable(
	'service_group_members',
	{
		groupId: uuid('group_id')
			.notNull()
			.references(() => serviceGroups.id, { onDelete: 'cascade' }),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' })
	},
	(t) => [
		primaryKey({ columns: [t.groupId, t.userId] }),
		index('service_group_members_user_idx').on(t.userId)
	]
);
