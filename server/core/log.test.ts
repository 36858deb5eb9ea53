import { describe, expect, it } from 'vitest';
import { DrizzleQueryError } from 'drizzle-orm';
import { formatLine } from './log';

const hash = 'scrypt$65536$8$1$c2FsdHNhbHQ=$a2V5a2V5a2V5';

/** What postgres.js throws for a failed insert into users: the values ride along on the error. */
function failedUserInsert() {
	const cause = Object.assign(new Error('null value in column "display_name" violates not-null constraint'), {
		name: 'PostgresError',
		code: '23502',
		table_name: 'users',
		column_name: 'display_name',
		detail: `Failing row contains (0b6f..., alice, null, ${hash}, {agent}).`
	});
	// postgres.js with `debug` makes these enumerable; without it they are hidden but present.
	Object.defineProperty(cause, 'parameters', { value: ['alice', null, hash], enumerable: true });
	Object.defineProperty(cause, 'args', { value: ['alice', null, hash], enumerable: true });
	return new DrizzleQueryError(
		'insert into "users" ("username", "display_name", "password_hash") values ($1, $2, $3)',
		['alice', null, hash],
		cause
	);
}

describe('log lines', () => {
	it('never carry the values of a failed query, in the message, the stack or the cause', () => {
		const line = formatLine('error', 'request failed', {
			path: '/api/admin/users',
			error: failedUserInsert()
		});
		expect(line).not.toContain(hash);
		expect(line).not.toContain('alice');
		const { error } = JSON.parse(line.slice(line.indexOf('{')));
		// What is needed to find the fault stays.
		expect(error.message).toBe(
			'Failed query: insert into "users" ("username", "display_name", "password_hash") values ($1, $2, $3)'
		);
		expect(error.stack).toMatch(/^Error: Failed query: insert into "users"[^\n]*\n\s+at /);
		expect(error.cause).toMatchObject({
			name: 'PostgresError',
			code: '23502',
			table_name: 'users',
			column_name: 'display_name'
		});
	});

	it('redacts fields named like secrets, at any depth', () => {
		const line = formatLine('warn', 'odd', {
			user: { username: 'bob', password: 'hunter22', passwordHash: hash },
			sessionSecret: 'x'.repeat(32),
			sessionHash: 'abc',
			headers: { authorization: 'Bearer abc', cookie: 'fl_session=abc' },
			ctiToken: 'abc'
		});
		expect(JSON.parse(line.slice(line.indexOf('{')))).toEqual({
			user: { username: 'bob', password: '[redacted]', passwordHash: '[redacted]' },
			sessionSecret: '[redacted]',
			sessionHash: '[redacted]',
			headers: { authorization: '[redacted]', cookie: '[redacted]' },
			ctiToken: '[redacted]'
		});
	});
});
