import { and, eq, getTableColumns, ne, sql } from 'drizzle-orm';
import { actionReasons } from '../../db/schema';
import type { ServiceArgs } from '../core/context';
import { conflict, notFound } from '../core/errors';
import type { ActionReasonConfig, ActionReasonInput, ActionReasonUpdate } from './desk-config.schemas';
import { changedMeanwhile, writeCenterConfig, type WriteTx } from './desk-config.service';

const { serviceCenterId: _centre, ...view } = getTableColumns(actionReasons);

async function assertCodeFree({ db }: WriteTx, centerId: string, code: string, id: string | null) {
	const [taken] = await db
		.select({ id: actionReasons.id })
		.from(actionReasons)
		.where(
			and(
				eq(actionReasons.serviceCenterId, centerId),
				eq(actionReasons.code, code),
				id ? ne(actionReasons.id, id) : undefined
			)
		);
	if (taken) throw conflict(`code: ${code} is already an action reason of this centre`, 'code');
}

/** A new causale is usable on the centre's tickets as soon as this commits. */
export async function createActionReason({
	ctx,
	input
}: ServiceArgs<{ centerId: string; reason: ActionReasonInput }>): Promise<ActionReasonConfig> {
	return writeCenterConfig(ctx, input.centerId, async (tx, center) => {
		await assertCodeFree(tx, center.id, input.reason.code, null);
		const [created] = await tx.db
			.insert(actionReasons)
			.values({ ...input.reason, serviceCenterId: center.id })
			.returning(view);
		return created;
	});
}

/**
 * Replaces the causale with the version read (409 when stale). Deactivating keeps it in the
 * history of the tickets that used it; it is no longer offered.
 */
export async function updateActionReason({
	ctx,
	input
}: ServiceArgs<{ centerId: string; id: string; reason: ActionReasonUpdate }>): Promise<ActionReasonConfig> {
	const { version, ...reason } = input.reason;
	return writeCenterConfig(ctx, input.centerId, async (tx, center) => {
		const [current] = await tx.db
			.select({ version: actionReasons.version })
			.from(actionReasons)
			.where(and(eq(actionReasons.id, input.id), eq(actionReasons.serviceCenterId, center.id)));
		if (!current) throw notFound('Action reason');
		await assertCodeFree(tx, center.id, reason.code, input.id);
		const [updated] = await tx.db
			.update(actionReasons)
			.set({ ...reason, version: sql`${actionReasons.version} + 1` })
			.where(and(eq(actionReasons.id, input.id), eq(actionReasons.version, version)))
			.returning(view);
		if (!updated) throw changedMeanwhile('action reason', current.version);
		return updated;
	});
}
