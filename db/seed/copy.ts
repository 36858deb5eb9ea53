import { once } from 'node:events';
import { getTableColumns, getTableName, type Column, type Table } from 'drizzle-orm';
import type postgres from 'postgres';

/**
 * Bulk-loads rows with COPY ... FROM STDIN (text format): several times faster than multi-row
 * INSERTs at the millions of rows the scaled demo needs. Rows are in the Drizzle insert shape of
 * the table (property names, not column names); omitted columns take their defaults, and a
 * property the table does not have is an error.
 *
 * It takes a transaction because of a postgres.js bug (porsager/postgres#1173, open in 3.4.9):
 * when the server rejects the data after the end of the stream (a foreign key or unique
 * violation), the writable never finishes and the error is swallowed. A query queued right
 * behind the COPY on the same connection fails with "transaction aborted" in that case, which
 * is how a failure is noticed instead of hanging; the caller's transaction then rolls back.
 */
export async function copyRows(
	tx: postgres.TransactionSql,
	table: Table,
	rows: ReadonlyArray<Record<string, unknown>>
): Promise<void> {
	if (rows.length === 0) return;
	const tableName: string = getTableName(table);
	const columnsByKey = getTableColumns(table) as Record<string, Column>;
	const keys = new Set<string>();
	for (const row of rows) for (const key of Object.keys(row)) keys.add(key);
	const columns = [...keys].map((key) => {
		const column = columnsByKey[key];
		if (!column) throw new Error(`${tableName} has no column for property ${key}`);
		return { key, name: column.name, encode: encoderFor(column) };
	});

	const columnNames: string[] = columns.map((c) => c.name);
	const stream = await tx`copy ${tx(tableName)} (${tx(columnNames)}) from stdin`.writable();
	try {
		for (const chunk of encodeChunks(rows, columns)) {
			if (stream.destroyed) break;
			if (!stream.write(chunk)) await once(stream, 'drain');
		}
		// postgres.js accepts the next query on this connection once the stream's final step has run.
		let finalStepRan!: () => void;
		const finalStep = new Promise<void>((resolve) => (finalStepRan = resolve));
		const final = stream._final!.bind(stream);
		stream._final = (callback) => {
			final(callback);
			finalStepRan();
		};
		const finished = new Promise<void>((resolve, reject) =>
			stream.end((error?: Error | null) => (error ? reject(error) : resolve()))
		);
		await Promise.race([finalStep, finished]);
		await Promise.all([finished, tx`select 1`]);
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		throw new Error(
			`COPY into ${tableName} failed (${reason}); postgres.js does not report the server's reason, see the PostgreSQL log`
		);
	}
}

type Encoder = (value: unknown) => string;

function* encodeChunks(
	rows: ReadonlyArray<Record<string, unknown>>,
	columns: Array<{ key: string; encode: Encoder }>
): Generator<string> {
	let chunk = '';
	for (const row of rows) {
		let line = '';
		for (let i = 0; i < columns.length; i++) {
			const value = row[columns[i].key];
			if (i > 0) line += '\t';
			line += value === null || value === undefined ? '\\N' : columns[i].encode(value);
		}
		chunk += line + '\n';
		// Bounded chunks keep memory flat and let the socket drain while the next one is built.
		if (chunk.length > 1 << 20) {
			yield chunk;
			chunk = '';
		}
	}
	if (chunk) yield chunk;
}

function encoderFor(column: Column): Encoder {
	switch (column.dataType) {
		case 'json':
			return (v) => escapeText(JSON.stringify(v));
		case 'array':
			return (v) => escapeText(arrayLiteral(v as unknown[]));
		case 'boolean':
			return (v) => (v ? 't' : 'f');
		case 'date':
			return (v) => (v instanceof Date ? v.toISOString() : escapeText(String(v)));
		default:
			return (v) => escapeText(String(v));
	}
}

function arrayLiteral(items: unknown[]): string {
	return `{${items.map((item) => (item === null ? 'NULL' : `"${String(item).replace(/[\\"]/g, '\\$&')}"`)).join(',')}}`;
}

const needsEscape = /[\\\t\n\r]/;
const escapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escapeText(value: string): string {
	return needsEscape.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => escapes[c]) : value;
}
