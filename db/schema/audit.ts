import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './identity';

/** The administered records whose every change is kept: a domain adds its entity here. */
export type AuditEntity = 'user' | 'service_center';

/**
 * One changed field. References are `{id, name}` so the trail reads without joins (and after the
 * referenced row is gone); a secret (a password) is only `{from: wasSet, to: isSet}`, never a value.
 */
export interface AuditChange {
	from: unknown;
	to: unknown;
}

/** The audit trail: who changed which administered record, how, written in the change's transaction. */
export const auditLog = pgTable(
	'audit_log',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		entity: text('entity').$type<AuditEntity>().notNull(),
		entityId: uuid('entity_id').notNull(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
		/** The administrator; null for a system job (named in `actorName`) or a deleted account. */
		actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
		actorName: text('actor_name').notNull(),
		action: text('action').notNull(),
		changes: jsonb('changes').$type<Record<string, AuditChange>>().notNull().default({})
	},
	(t) => [index('audit_log_entity_idx').on(t.entity, t.entityId, t.at)]
);
