import { boolean, date, index, integer, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { customers } from './customers';
import { machines } from './machines';

export const contractStatusEnum = pgEnum('contract_status', ['draft', 'active', 'expired']);
export const serviceLevelEnum = pgEnum('service_level', ['basic', 'standard', 'premium']);

export const contracts = pgTable(
	'contracts',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		code: text('code').notNull().unique(),
		customerId: uuid('customer_id')
			.notNull()
			.references(() => customers.id),
		billingCustomerId: uuid('billing_customer_id').references(() => customers.id),
		startsOn: date('starts_on').notNull(),
		endsOn: date('ends_on').notNull(),
		serviceLevel: serviceLevelEnum('service_level').notNull().default('standard'),
		status: contractStatusEnum('status').notNull().default('draft'),
		/** Tacito rinnovo. */
		autoRenewal: boolean('auto_renewal').notNull().default(false),
		version: integer('version').notNull().default(1),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('contracts_customer_idx').on(t.customerId)]
);

/** Voci: one line per machine, with its visit periodicity. */
export const contractLines = pgTable(
	'contract_lines',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		contractId: uuid('contract_id')
			.notNull()
			.references(() => contracts.id, { onDelete: 'cascade' }),
		machineId: uuid('machine_id')
			.notNull()
			.references(() => machines.id),
		visitEveryMonths: integer('visit_every_months').notNull(),
		notes: text('notes')
	},
	(t) => [
		index('contract_lines_contract_idx').on(t.contractId),
		index('contract_lines_machine_idx').on(t.machineId)
	]
);
