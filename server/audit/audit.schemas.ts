import { z } from 'zod';

/** One entry of an administered record's audit trail, newest first in a list. */
export const auditEntry = z.object({
	id: z.uuid(),
	at: z.iso.datetime({ offset: true }),
	/** The administrator who acted; null for a system job or an account since deleted. */
	actorId: z.uuid().nullable(),
	actorName: z.string(),
	/** created, updated, password_reset, deactivated, reactivated... */
	action: z.string(),
	/**
	 * Field -> {from, to}, only the fields that changed. References are {id, name}; a secret is
	 * {from: wasSet, to: isSet}, never its value.
	 */
	changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() }))
});
export type AuditEntry = z.infer<typeof auditEntry>;

export const auditTrail = z.object({ items: z.array(auditEntry) });
