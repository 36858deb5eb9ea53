import { sql } from 'drizzle-orm';
import {
	check,
	doublePrecision,
	index,
	integer,
	pgEnum,
	pgTable,
	text,
	timestamp,
	uuid,
	boolean,
	type AnyPgColumn
} from 'drizzle-orm/pg-core';
import { users } from './identity';
import { technicians } from './workforce';

export const customers = pgTable(
	'customers',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** Human-facing customer code, e.g. C000123. */
		code: text('code').notNull().unique(),
		companyName: text('company_name').notNull(),
		vatNumber: text('vat_number'),
		taxCode: text('tax_code'),
		/** The customer that receives the invoices, when another company pays. */
		billingCustomerId: uuid('billing_customer_id').references((): AnyPgColumn => customers.id),
		/** Dealer through which an indirect customer is served. */
		dealerId: uuid('dealer_id').references((): AnyPgColumn => customers.id),
		isDealer: boolean('is_dealer').notNull().default(false),
		paymentTerms: text('payment_terms'),
		accountManagerId: uuid('account_manager_id').references(() => users.id, { onDelete: 'set null' }),
		/** A blocked customer (unpaid invoices...) is still served, but the desk is warned. */
		blocked: boolean('blocked').notNull().default(false),
		email: text('email'),
		notes: text('notes'),
		version: integer('version').notNull().default(1),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('customers_company_name_trgm').using('gin', t.companyName.op('gin_trgm_ops')),
		index('customers_vat_idx').on(t.vatNumber)
	]
);

export const addressKindEnum = pgEnum('address_kind', ['registered', 'billing', 'site', 'shipping']);

export const customerAddresses = pgTable(
	'customer_addresses',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		customerId: uuid('customer_id')
			.notNull()
			.references(() => customers.id, { onDelete: 'cascade' }),
		kind: addressKindEnum('kind').notNull().default('registered'),
		street: text('street').notNull(),
		postalCode: text('postal_code'),
		city: text('city').notNull(),
		province: text('province'),
		region: text('region'),
		country: text('country').notNull().default('IT'),
		latitude: doublePrecision('latitude'),
		longitude: doublePrecision('longitude')
	},
	(t) => [
		index('customer_addresses_customer_idx').on(t.customerId),
		index('customer_addresses_city_trgm').using('gin', t.city.op('gin_trgm_ops'))
	]
);

export const contacts = pgTable(
	'contacts',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		customerId: uuid('customer_id')
			.notNull()
			.references(() => customers.id, { onDelete: 'cascade' }),
		firstName: text('first_name').notNull(),
		lastName: text('last_name').notNull(),
		role: text('role'),
		email: text('email'),
		isPrimary: boolean('is_primary').notNull().default(false),
		version: integer('version').notNull().default(1),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('contacts_customer_idx').on(t.customerId),
		index('contacts_name_trgm').using('gin', sql`(${t.lastName} || ' ' || ${t.firstName}) gin_trgm_ops`)
	]
);

/** Nominativi: names from a list, not customers yet. */
export const prospects = pgTable(
	'prospects',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		companyName: text('company_name'),
		firstName: text('first_name'),
		lastName: text('last_name'),
		email: text('email'),
		city: text('city'),
		source: text('source'),
		convertedCustomerId: uuid('converted_customer_id').references(() => customers.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('prospects_company_trgm').using('gin', t.companyName.op('gin_trgm_ops'))]
);

export const phoneKindEnum = pgEnum('phone_kind', ['landline', 'mobile', 'fax']);

/**
 * Every phone number of every party, in one table, so that caller-ID is one indexed lookup.
 * Exactly one owner column is set.
 */
export const phoneNumbers = pgTable(
	'phone_numbers',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		raw: text('raw').notNull(),
		e164: text('e164').notNull(),
		/** The national significant number reversed, for suffix matches when a PBX strips prefixes. */
		nsnReversed: text('nsn_reversed').notNull(),
		kind: phoneKindEnum('kind').notNull().default('landline'),
		customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'cascade' }),
		contactId: uuid('contact_id').references(() => contacts.id, { onDelete: 'cascade' }),
		prospectId: uuid('prospect_id').references(() => prospects.id, { onDelete: 'cascade' }),
		technicianId: uuid('technician_id').references(() => technicians.id, { onDelete: 'cascade' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		// Caller ID reads owner and raw number from the index alone (index-only scans at millions of rows).
		index('phone_numbers_e164_idx').on(
			t.e164,
			t.customerId,
			t.contactId,
			t.prospectId,
			t.technicianId,
			t.raw
		),
		index('phone_numbers_nsn_reversed_idx').on(
			t.nsnReversed.op('text_pattern_ops'),
			t.customerId,
			t.contactId,
			t.prospectId,
			t.technicianId,
			t.raw
		),
		index('phone_numbers_customer_idx').on(t.customerId),
		index('phone_numbers_contact_idx').on(t.contactId),
		check(
			'phone_numbers_one_owner',
			sql`num_nonnulls(${t.customerId}, ${t.contactId}, ${t.prospectId}, ${t.technicianId}) = 1`
		)
	]
);
