import { and, desc, eq } from 'drizzle-orm';
import { auditLog, users, type AuditChange, type AuditEntity } from '../../db/schema';
import type { DbOrTx } from '../../db/client';
import type { Actor } from '../core/context';
import type { AuditEntry } from './audit.schemas';

/*
 * The audit trail of administered records (users, service centres). A service writes its entry
 * with `recordAudit` inside the transaction of the change, so a change that rolls back leaves no
 * entry and a committed change always has one.
 */

export type AuditChanges = Record<string, AuditChange>;

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The fields of `after` whose value differs from `before`, as {from, to}. */
export function changedFields<T extends Record<string, unknown>>(
	before: T | null,
	after: T,
	fields: ReadonlyArray<keyof T & string>
): AuditChanges {
	const changes: AuditChanges = {};
	for (const field of fields) {
		const from = before ? (before[field] ?? null) : null;
		const to = after[field] ?? null;
		if (!sameValue(from, to)) changes[field] = { from, to };
	}
	return changes;
}

/** A secret that was written: whether one was set before and is set now, never its value. */
export const secretChange = (wasSet: boolean, isSet: boolean): AuditChange => ({ from: wasSet, to: isSet });

async function actorOf(db: DbOrTx, actor: Actor): Promise<{ id: string | null; name: string }> {
	if (actor.kind === 'system') return { id: null, name: `system: ${actor.name}` };
	if (actor.kind === 'pbx') return { id: null, name: 'pbx' };
	const [user] = await db.select({ name: users.displayName }).from(users).where(eq(users.id, actor.userId));
	return { id: actor.userId, name: user?.name ?? actor.username };
}

export async function recordAudit(
	db: DbOrTx,
	actor: Actor,
	entry: { entity: AuditEntity; entityId: string; action: string; changes: AuditChanges }
): Promise<void> {
	const who = await actorOf(db, actor);
	await db.insert(auditLog).values({ ...entry, actorId: who.id, actorName: who.name });
}

/** The newest entries first; a trail longer than `limit` is cut at its oldest end. */
export async function auditTrailOf(
	db: DbOrTx,
	entity: AuditEntity,
	entityId: string,
	limit = 200
): Promise<AuditEntry[]> {
	const rows = await db
		.select()
		.from(auditLog)
		.where(and(eq(auditLog.entity, entity), eq(auditLog.entityId, entityId)))
		.orderBy(desc(auditLog.at), desc(auditLog.id))
		.limit(limit);
	return rows.map((row) => ({
		id: row.id,
		at: row.at.toISOString(),
		actorId: row.actorId,
		actorName: row.actorName,
		action: row.action,
		changes: row.changes
	}));
}
