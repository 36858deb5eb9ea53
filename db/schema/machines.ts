import {
	date,
	doublePrecision,
	index,
	integer,
	jsonb,
	pgEnum,
	pgTable,
	text,
	timestamp,
	unique,
	uuid
} from 'drizzle-orm/pg-core';
import { customers } from './customers';

export const machineStatusEnum = pgEnum('machine_status', [
	'in_service',
	'withdrawn',
	'refurbished',
	'resold'
]);

export const machineModels = pgTable(
	'machine_models',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		manufacturer: text('manufacturer').notNull(),
		code: text('code').notNull(),
		name: text('name').notNull(),
		category: text('category').notNull(),
		/** Skills a technician needs to service this model, matched against technicians.skills. */
		requiredSkills: text('required_skills').array().notNull().default([])
	},
	(t) => [unique('machine_models_manufacturer_code').on(t.manufacturer, t.code)]
);

/** Macchine in campo: a unit installed at a customer's site. */
export const machines = pgTable(
	'machines',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		modelId: uuid('model_id')
			.notNull()
			.references(() => machineModels.id),
		serialNumber: text('serial_number').notNull(),
		attributes: jsonb('attributes').$type<Record<string, string | number | boolean>>().notNull().default({}),
		customerId: uuid('customer_id')
			.notNull()
			.references(() => customers.id),
		siteStreet: text('site_street'),
		siteCity: text('site_city'),
		siteProvince: text('site_province'),
		latitude: doublePrecision('latitude'),
		longitude: doublePrecision('longitude'),
		installedOn: date('installed_on'),
		partsWarrantyUntil: date('parts_warranty_until'),
		labourWarrantyUntil: date('labour_warranty_until'),
		status: machineStatusEnum('status').notNull().default('in_service'),
		version: integer('version').notNull().default(1),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		// Serial numbers are unique per model, and a model belongs to one manufacturer.
		unique('machines_model_serial').on(t.modelId, t.serialNumber),
		index('machines_serial_upper_idx').on(t.serialNumber.op('text_pattern_ops')),
		index('machines_customer_idx').on(t.customerId)
	]
);

/** Who owned a machine when: resale and refurbishment keep the history. */
export const machineOwnerships = pgTable(
	'machine_ownerships',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		machineId: uuid('machine_id')
			.notNull()
			.references(() => machines.id, { onDelete: 'cascade' }),
		customerId: uuid('customer_id')
			.notNull()
			.references(() => customers.id),
		from: date('from').notNull(),
		to: date('to'),
		status: machineStatusEnum('status').notNull(),
		note: text('note')
	},
	(t) => [index('machine_ownerships_machine_idx').on(t.machineId)]
);
