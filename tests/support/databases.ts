import postgres from 'postgres';
import { randomBytes } from 'node:crypto';
import { connectDatabase, runMigrations } from '../../db/client';

/**
 * Test databases on a real PostgreSQL: TEST_DATABASE_URL, or the machine's server.
 * A template database holds the migrated schema; each test file clones it (CREATE DATABASE ...
 * TEMPLATE is a file copy, far faster than migrating again) and drops it afterwards.
 */
export const baseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** TEST_TEMPLATE_NAME lets two test runs on one server keep their templates apart. */
export const templateName = process.env.TEST_TEMPLATE_NAME ?? 'console_test_template';

export function urlFor(database: string): string {
	const url = new URL(baseUrl);
	url.pathname = `/${database}`;
	return url.toString();
}

async function admin<T>(work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
	const sql = postgres(baseUrl, { max: 1, onnotice: () => {} });
	try {
		return await work(sql);
	} finally {
		await sql.end({ timeout: 5 });
	}
}

/** Rebuilds the template from the committed migrations (run once per test run). */
export async function prepareTemplate(): Promise<void> {
	await admin(async (sql) => {
		await sql`select pg_advisory_lock(727002)`;
		try {
			await sql.unsafe(`drop database if exists ${templateName} with (force)`);
			await sql.unsafe(`create database ${templateName}`);
		} finally {
			await sql`select pg_advisory_unlock(727002)`;
		}
	});
	const handle = connectDatabase(urlFor(templateName), { max: 2 });
	try {
		await runMigrations(handle);
	} finally {
		await handle.close();
	}
}

export interface TestDatabase {
	name: string;
	url: string;
	drop(): Promise<void>;
}

export async function createTestDatabase(prefix = 'it'): Promise<TestDatabase> {
	const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
	await admin((sql) => sql.unsafe(`create database ${name} template ${templateName}`));
	return {
		name,
		url: urlFor(name),
		drop: () =>
			admin((sql) => sql.unsafe(`drop database if exists ${name} with (force)`)).then(() => undefined)
	};
}
