import postgres from 'postgres';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { fileURLToPath } from 'node:url';
import * as schema from './schema';

export type Database = PostgresJsDatabase<typeof schema>;
/** A transaction handle has the same query API as the database. */
export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
export type DbOrTx = Database | Tx;

export interface DatabaseHandle {
	db: Database;
	sql: postgres.Sql;
	close(): Promise<void>;
}

export function connectDatabase(url: string, options: { max?: number } = {}): DatabaseHandle {
	const sql = postgres(url, {
		max: options.max ?? 10,
		onnotice: () => {}
	});
	const db = drizzle(sql, { schema });
	return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/**
 * Applies the committed drizzle-kit migrations; an advisory lock keeps concurrent starts from racing.
 * The lock holds one pooled connection, so the pool needs at least two.
 */
export async function runMigrations(handle: DatabaseHandle): Promise<void> {
	const lockHolder = await handle.sql.reserve();
	try {
		await lockHolder`select pg_advisory_lock(727001)`;
		await migrate(handle.db, { migrationsFolder });
	} finally {
		await lockHolder`select pg_advisory_unlock(727001)`;
		lockHolder.release();
	}
}
