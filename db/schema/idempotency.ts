import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './identity';

/**
 * The first answer to a creating request sent with an `Idempotency-Key`, per user: a retry
 * with the same key gets it again instead of creating twice. The row is written in the same
 * transaction as what the request created, so a write that committed always has its key.
 */
export const idempotencyKeys = pgTable(
	'idempotency_keys',
	{
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		key: text('key').notNull(),
		/** Method, path and body of the first request: a key reused for another request is refused. */
		fingerprint: text('fingerprint').notNull(),
		status: integer('status').notNull(),
		body: jsonb('body'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.userId, t.key] }), index('idempotency_keys_created_at').on(t.createdAt)]
);
