import { sql } from 'drizzle-orm';
import {
	boolean,
	index,
	integer,
	pgEnum,
	pgTable,
	text,
	timestamp,
	uuid,
	type AnyPgColumn
} from 'drizzle-orm/pg-core';

export const roleEnum = pgEnum('role', ['agent', 'dispatcher', 'supervisor', 'admin', 'technician']);
export type Role = (typeof roleEnum.enumValues)[number];
export const localeEnum = pgEnum('locale', ['it', 'en']);

/** Teams form a tree; a supervisor manages a team and sees the work of every team below it. */
export const teams = pgTable('teams', {
	id: uuid('id').primaryKey().defaultRandom(),
	name: text('name').notNull(),
	parentId: uuid('parent_id').references((): AnyPgColumn => teams.id, { onDelete: 'restrict' }),
	managerId: uuid('manager_id').references((): AnyPgColumn => users.id, { onDelete: 'set null' }),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});

export const users = pgTable('users', {
	id: uuid('id').primaryKey().defaultRandom(),
	username: text('username').notNull().unique(),
	displayName: text('display_name').notNull(),
	email: text('email'),
	passwordHash: text('password_hash').notNull(),
	roles: roleEnum('roles').array().notNull(),
	teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
	locale: localeEnum('locale').notNull().default('it'),
	disabled: boolean('disabled').notNull().default(false),
	/** SIP identity of an agent: extension and digest credentials for the PBX. */
	sipExtension: text('sip_extension').unique(),
	sipAuthUser: text('sip_auth_user'),
	sipPassword: text('sip_password'),
	version: integer('version').notNull().default(1),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

/** Sessions live in PostgreSQL so that every server process knows every session. */
export const sessions = pgTable(
	'sessions',
	{
		/** sha256 of the cookie token: a leaked table does not leak usable cookies. */
		idHash: text('id_hash').primaryKey(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		userAgent: text('user_agent'),
		address: text('address')
	},
	(t) => [index('sessions_user_idx').on(t.userId)]
);

/** Failed logins, counted per username and per address over a sliding window. */
export const loginFailures = pgTable(
	'login_failures',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		username: text('username').notNull(),
		address: text('address').notNull(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('login_failures_username_idx').on(sql`lower(${t.username})`, t.at),
		index('login_failures_address_idx').on(t.address, t.at)
	]
);
