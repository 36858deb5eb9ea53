import { and, eq, sql } from 'drizzle-orm';
import { businessCalendars, slaPolicies, slaTargets } from '../../db/schema';
import type { ServiceArgs } from '../core/context';
import { badRequest, conflict } from '../core/errors';
import type { SlaPolicyConfig, SlaPolicyInput } from './desk-config.schemas';
import { changedMeanwhile, writeCenterConfig } from './desk-config.service';
import { BusinessCalendar } from '../sla/business-calendar';
import { assertTargetReachable } from '../sla/sla.service';

/**
 * Creates or replaces the centre's SLA policy; its targets are replaced as a whole in the same
 * transaction. Tickets copy their targets and deadlines when they open, so the tickets already
 * open keep the deadlines they were promised; new tickets get the new policy.
 */
export async function saveSlaPolicy({
	ctx,
	input
}: ServiceArgs<{ centerId: string; policy: SlaPolicyInput }>): Promise<SlaPolicyConfig> {
	const { policy } = input;
	return writeCenterConfig(ctx, input.centerId, async ({ db }, center) => {
		const [calendar] = await db
			.select({ id: businessCalendars.id, config: businessCalendars.config })
			.from(businessCalendars)
			.where(eq(businessCalendars.id, policy.calendarId));
		if (!calendar) throw badRequest('calendarId: no such business calendar', 'calendarId');
		// First response never exceeds resolution (the schema says so): resolution is the one to check.
		const compiled = new BusinessCalendar(calendar.config);
		const now = new Date();
		policy.targets.forEach((target, index) =>
			assertTargetReachable(compiled, now, target.resolutionMinutes, `targets.${index}.resolutionMinutes`)
		);
		const [current] = await db
			.select({ id: slaPolicies.id, version: slaPolicies.version })
			.from(slaPolicies)
			.where(eq(slaPolicies.serviceCenterId, center.id));
		const values = {
			calendarId: policy.calendarId,
			warningShare: policy.warningShare,
			pauseStatuses: policy.pauseStatuses
		};
		let saved: { id: string; version: number };
		if (!current) {
			if (policy.version !== null)
				throw conflict('The SLA policy was deleted meanwhile: reload and retry', 'version');
			[saved] = await db
				.insert(slaPolicies)
				.values({ serviceCenterId: center.id, ...values })
				.returning({ id: slaPolicies.id, version: slaPolicies.version });
		} else {
			const [updated] =
				policy.version === null
					? []
					: await db
							.update(slaPolicies)
							.set({ ...values, version: sql`${slaPolicies.version} + 1` })
							.where(and(eq(slaPolicies.id, current.id), eq(slaPolicies.version, policy.version)))
							.returning({ id: slaPolicies.id, version: slaPolicies.version });
			if (!updated) throw changedMeanwhile('SLA policy', current.version);
			saved = updated;
			await db.delete(slaTargets).where(eq(slaTargets.policyId, saved.id));
		}
		if (policy.targets.length > 0)
			await db.insert(slaTargets).values(policy.targets.map((t) => ({ ...t, policyId: saved.id })));
		return {
			id: saved.id,
			...values,
			targets: policy.targets.map((t) => ({ ...t })),
			version: saved.version
		};
	});
}
