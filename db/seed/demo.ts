import { setImmediate as nextTurn } from 'node:timers/promises';
import { getTableName } from 'drizzle-orm';
import type postgres from 'postgres';
import { hashPassword } from '../../server/auth/password';
import type { Database } from '../client';
import * as schema from '../schema';
import { copyRows } from './copy';
import {
	contactsPerUnit,
	CustomerGenerator,
	customersPerUnit,
	emptyCustomerRows,
	type CustomerRows
} from './customers';
import { isIsoDate, todayIso } from './dates';
import { PhoneFactory } from './phones';
import { Random } from './random';
import { buildStaff, demoPassword, staffMembers, type Staff, type StaffRows } from './staff';

export { customersPerUnit, contactsPerUnit, demoPassword };

export interface SeedOptions {
	/** Multiplies customers, contacts, phones, machines and contracts (staff and catalogue stay the same). Default 1. */
	scale?: number;
	/** The day the demo is built around (contract and warranty dates), 'YYYY-MM-DD'. Default: today (UTC). */
	today?: string;
	log?: (message: string) => void;
}

type SeededTable = keyof StaffRows | keyof CustomerRows;
/** Rows written, per table (Drizzle table names). */
export type SeedSummary = Record<SeededTable, number>;

export class DemoAlreadySeededError extends Error {
	override name = 'DemoAlreadySeededError';
}

const seed = 20_261_122;
/** Units generated and written together; a multiple of the unit keeps the data independent of batching. */
const unitsPerBatch = 16;
/** Up to this scale everything is written in one transaction; above it, one transaction per batch. */
const singleTransactionMaxScale = 20;
const concurrentBatchWrites = 2;

const staffTableOrder: Array<keyof StaffRows> = [
	'teams',
	'users',
	'technicians',
	'phoneNumbers',
	'serviceCenters',
	'serviceGroups',
	'serviceGroupMembers',
	'machineModels'
];
const customerTableOrder: Array<keyof CustomerRows> = [
	'customers',
	'customerAddresses',
	'contacts',
	'phoneNumbers',
	'machines',
	'machineOwnerships',
	'contracts',
	'contractLines'
];

/**
 * Creates the demo company: staff with password "demo", teams, technicians, service centres,
 * the machine catalogue, and `300 × scale` customers with 750 × scale contacts, their phone
 * numbers, machines in the field and maintenance contracts. The data are the same on every
 * run (seeded PRNG) except ids and, when `today` differs, the dates.
 */
export async function seedDemo(db: Database, options: SeedOptions = {}): Promise<SeedSummary> {
	const scale = options.scale ?? 1;
	if (!Number.isInteger(scale) || scale < 1)
		throw new RangeError(`scale must be a positive integer, got ${scale}`);
	const today = options.today ?? todayIso();
	if (!isIsoDate(today)) throw new RangeError(`today must be a date as YYYY-MM-DD, got ${today}`);
	const log = options.log ?? (() => {});
	const sql = postgresClient(db);
	await refuseIfSeeded(sql);

	const random = new Random(seed);
	const phones = new PhoneFactory(random);
	const members = staffMembers(random);
	// scrypt is deliberately slow (~100 ms): hash concurrently, before any transaction is open.
	const hashes = await Promise.all(members.map(() => hashPassword(demoPassword)));
	const staff = buildStaff(members, hashes, random, phones);
	const customers = new CustomerGenerator(random, phones, today, staff.accountManagerIds, staff.models);

	const summary = Object.fromEntries(
		[...staffTableOrder, ...customerTableOrder].map((table) => [table, 0])
	) as SeedSummary;
	const totalUnits = scale;
	const batches = Math.ceil(totalUnits / unitsPerBatch);
	const generateBatch = async (batch: number) => {
		const rows = emptyCustomerRows();
		const units = Math.min(unitsPerBatch, totalUnits - batch * unitsPerBatch);
		for (let u = 0; u < units; u++) {
			customers.generateUnit(rows);
			// Let the previous batch's COPY streams flush while this one is generated.
			if (batches > 1) await nextTurn();
		}
		return rows;
	};
	const writeBatch = async (tx: postgres.TransactionSql, rows: CustomerRows) => {
		for (const table of customerTableOrder) {
			await copyRows(tx, schema[table], rows[table]);
			summary[table] += rows[table].length;
		}
	};

	if (scale <= singleTransactionMaxScale) {
		await sql.begin(async (tx) => {
			await refuseIfSeeded(tx);
			await writeStaff(tx, staff, summary);
			for (let batch = 0; batch < batches; batch++) await writeBatch(tx, await generateBatch(batch));
		});
		log(`demo company created: ${describe(summary)}`);
		return summary;
	}

	// Large scales: one transaction per batch. Batches are independent (a unit only references
	// itself and the staff), so two are written at once on two connections while the next is generated.
	await sql.begin(async (tx) => {
		await refuseIfSeeded(tx);
		await writeStaff(tx, staff, summary);
	});
	log(`demo staff created; now ${customersPerUnit * scale} customers in ${batches} batches`);
	const started = Date.now();
	const done = { customers: 0, contacts: 0 };
	// The tracked writes never reject: the first failure is kept and thrown from this loop.
	const writing = new Set<Promise<void>>();
	let failure: { error: unknown } | undefined;
	const throwIfFailed = async () => {
		if (!failure) return;
		await Promise.all(writing);
		const reason = failure.error instanceof Error ? failure.error.message : String(failure.error);
		throw new Error(
			`${reason} (${done.customers} customers of other batches stay committed: empty the database, e.g. npm run seed -- --reset, before seeding again)`
		);
	};
	for (let batch = 0; batch < batches; batch++) {
		const rows = await generateBatch(batch);
		while (writing.size >= concurrentBatchWrites) await Promise.race(writing);
		await throwIfFailed();
		const write: Promise<void> = sql
			.begin((tx) => writeBatch(tx, rows))
			.then(() => {
				done.customers += rows.customers.length;
				done.contacts += rows.contacts.length;
				const seconds = (Date.now() - started) / 1000;
				log(
					`customers ${done.customers}/${customersPerUnit * scale}, contacts ${done.contacts} (${Math.round(done.contacts / seconds)}/s)`
				);
			})
			.catch((error: unknown) => {
				failure ??= { error };
			})
			.finally(() => writing.delete(write));
		writing.add(write);
	}
	await Promise.all(writing);
	await throwIfFailed();
	// After a bulk load, VACUUM sets the hint bits and the visibility map once: otherwise the first
	// reads of each page (a caller-ID lookup while the phone rings) would write it back.
	log('vacuuming and analyzing the loaded tables');
	for (const table of customerTableOrder) await sql`vacuum (analyze) ${sql(getTableName(schema[table]))}`;
	log(`demo company created: ${describe(summary)}`);
	return summary;
}

async function writeStaff(tx: postgres.TransactionSql, staff: Staff, summary: SeedSummary) {
	for (const table of staffTableOrder) {
		await copyRows(tx, schema[table], staff.rows[table]);
		summary[table] += staff.rows[table].length;
	}
	// Teams and users reference each other: the manager is set once both exist.
	await tx`update teams set manager_id = ${staff.rootTeam.managerId} where id = ${staff.rootTeam.id}`;
}

async function refuseIfSeeded(sql: postgres.Sql | postgres.TransactionSql) {
	const existing = await sql`select 1 from users where username = 'admin' limit 1`;
	if (existing.length > 0) {
		throw new DemoAlreadySeededError(
			'The database already has a user named "admin": the demo company is seeded only into an empty database.'
		);
	}
}

function postgresClient(db: Database): postgres.Sql {
	// drizzle(postgres-js) keeps its client on $client; COPY needs it, Drizzle has no COPY.
	const client = (db as Database & { $client?: postgres.Sql }).$client;
	if (!client) throw new Error('seedDemo needs a Drizzle database created with drizzle-orm/postgres-js');
	return client;
}

function describe(summary: SeedSummary): string {
	return Object.entries(summary)
		.map(([table, n]) => `${n} ${table}`)
		.join(', ');
}
