import { connectDatabase, runMigrations, type DatabaseHandle } from '../db/client';
import { startEmbeddedPostgres } from '../db/embedded';
import type { Config } from './config';
import { log } from './core/log';

export interface OpenDatabase {
	handle: DatabaseHandle;
	/** The embedded server was created by this start: a brand-new installation. */
	freshEmbedded: boolean;
	url: string;
	close(): Promise<void>;
}

/**
 * The same postgres.js + Drizzle path for both modes: an embedded PostgreSQL under DATA_DIR,
 * or the server named by DATABASE_URL. Migrations are applied before anything else runs.
 */
export async function openDatabase(
	config: Config,
	options: { poolSize?: number } = {}
): Promise<OpenDatabase> {
	let url: string;
	let stopEmbedded: (() => Promise<void>) | undefined;
	let freshEmbedded = false;
	if (config.database.kind === 'embedded') {
		const started = Date.now();
		const embedded = await startEmbeddedPostgres(config.database.dir, (output) => {
			for (const line of withoutRowValues(output)) log.debug(line);
		});
		log.info('embedded PostgreSQL started', {
			dir: config.database.dir,
			ms: Date.now() - started,
			created: embedded.created
		});
		url = embedded.url;
		stopEmbedded = embedded.stop;
		freshEmbedded = embedded.created;
	} else {
		url = config.database.url;
	}
	const handle = connectDatabase(url, { max: options.poolSize });
	try {
		await runMigrations(handle);
	} catch (error) {
		await handle.close();
		await stopEmbedded?.();
		throw error;
	}
	return {
		handle,
		freshEmbedded,
		url,
		async close() {
			await handle.close();
			await stopEmbedded?.();
		}
	};
}

/**
 * The embedded server's own log, without the lines that quote a row or a statement: an error
 * on users would print the password hash in "DETAIL: Failing row contains (...)".
 */
export function withoutRowValues(output: string): string[] {
	return output
		.split('\n')
		.filter((line) => line.trim() !== '' && !/\b(DETAIL|STATEMENT|CONTEXT|QUERY):/.test(line));
}
