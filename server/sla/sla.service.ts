import { eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { businessCalendars, slaPolicies, slaTargets, serviceCenters } from '../../db/schema';
import type { ServiceArgs } from '../core/context';
import { authorize } from '../auth/policy';
import { badRequest, notFound } from '../core/errors';
import {
	addBusinessMinutes,
	BusinessCalendar,
	BusinessTimeOutOfReach,
	formatWithOffset,
	type BusinessCalendarInput
} from './business-calendar';
import { computeTicketSla, openedSlaState, targetFor, type SlaSetup } from './ticket-sla';
import type { SlaPolicyView, SlaPreviewInput, SlaPreviewResult } from './sla.schemas';
import { assertServiceCenterVisible } from '../tickets/visibility';

// Compiling a calendar year takes a few milliseconds: keep compiled calendars per row version.
const compiled = new Map<string, { version: number; calendar: BusinessCalendar }>();

function compiledCalendar(id: string, version: number, config: BusinessCalendarInput): BusinessCalendar {
	const cached = compiled.get(id);
	if (cached && cached.version === version) return cached.calendar;
	const calendar = new BusinessCalendar(config);
	compiled.set(id, { version, calendar });
	return calendar;
}

/**
 * Refuses, as a 400 naming `field`, a target whose deadline would not come within the
 * calendar's search window when the clock starts at `from`. Cheap: the calendar refuses a
 * target beyond its weekly hours before compiling anything, and compiles a few years at most.
 */
export function assertTargetReachable(
	calendar: BusinessCalendar,
	from: Date,
	minutes: number,
	field: string
) {
	try {
		addBusinessMinutes(calendar, from, minutes);
	} catch (error) {
		if (error instanceof BusinessTimeOutOfReach) throw badRequest(`${field}: ${error.message}`, field);
		throw error;
	}
}

/** The service centre's SLA policy with its calendar compiled; null when the centre has none. */
export async function loadSlaSetup(db: DbOrTx, serviceCenterId: string): Promise<SlaSetup | null> {
	const [policy] = await db
		.select({
			id: slaPolicies.id,
			warningShare: slaPolicies.warningShare,
			pauseStatuses: slaPolicies.pauseStatuses,
			calendarId: businessCalendars.id,
			calendarVersion: businessCalendars.version,
			calendarConfig: businessCalendars.config
		})
		.from(slaPolicies)
		.innerJoin(businessCalendars, eq(businessCalendars.id, slaPolicies.calendarId))
		.where(eq(slaPolicies.serviceCenterId, serviceCenterId));
	if (!policy) return null;
	const targets = await db
		.select({
			priority: slaTargets.priority,
			serviceLevel: slaTargets.serviceLevel,
			firstResponseMinutes: slaTargets.firstResponseMinutes,
			resolutionMinutes: slaTargets.resolutionMinutes
		})
		.from(slaTargets)
		.where(eq(slaTargets.policyId, policy.id));
	return {
		policyId: policy.id,
		calendar: compiledCalendar(policy.calendarId, policy.calendarVersion, policy.calendarConfig),
		warningShare: policy.warningShare,
		pauseStatuses: policy.pauseStatuses,
		targets
	};
}

/** What the administration screens and the queues show about each centre's policy. */
export async function slaPolicyViews(
	db: DbOrTx,
	serviceCenterIds: string[]
): Promise<Map<string, SlaPolicyView>> {
	if (serviceCenterIds.length === 0) return new Map();
	const policies = await db
		.select({
			id: slaPolicies.id,
			serviceCenterId: slaPolicies.serviceCenterId,
			warningShare: slaPolicies.warningShare,
			pauseStatuses: slaPolicies.pauseStatuses,
			config: businessCalendars.config
		})
		.from(slaPolicies)
		.innerJoin(businessCalendars, eq(businessCalendars.id, slaPolicies.calendarId))
		.where(inArray(slaPolicies.serviceCenterId, serviceCenterIds));
	const targets = policies.length
		? await db
				.select()
				.from(slaTargets)
				.where(
					inArray(
						slaTargets.policyId,
						policies.map((p) => p.id)
					)
				)
		: [];
	return new Map(
		policies.map((p) => [
			p.serviceCenterId,
			{
				id: p.id,
				timeZone: p.config.timeZone ?? 'Europe/Rome',
				warningShare: p.warningShare,
				pauseStatuses: p.pauseStatuses,
				targets: targets
					.filter((t) => t.policyId === p.id)
					.map((t) => ({
						priority: t.priority,
						serviceLevel: t.serviceLevel,
						firstResponseMinutes: t.firstResponseMinutes,
						resolutionMinutes: t.resolutionMinutes
					}))
			}
		])
	);
}

/**
 * The deadlines a ticket opened at `openedAt` would get, with the saved policy or with a draft
 * calendar or target, so that an administrator can check a policy before saving it.
 */
export async function previewSla({ ctx, input }: ServiceArgs<SlaPreviewInput>): Promise<SlaPreviewResult> {
	authorize(ctx.actor, 'sla:preview');
	const [center] = await ctx.db
		.select({ id: serviceCenters.id })
		.from(serviceCenters)
		.where(eq(serviceCenters.id, input.serviceCenterId));
	if (!center) throw notFound('Service centre');
	await assertServiceCenterVisible(ctx, input.serviceCenterId);
	const setup = await loadSlaSetup(ctx.db, input.serviceCenterId);
	const calendar = input.calendar ? new BusinessCalendar(input.calendar) : setup?.calendar;
	if (!calendar)
		throw badRequest('The service centre has no SLA policy yet: send a calendar to preview', 'calendar');
	const target =
		input.target ?? (setup ? targetFor(setup.targets, input.priority, input.serviceLevel) : null);
	if (!target)
		throw badRequest(
			`The SLA policy has no target for priority ${input.priority}: send one to preview`,
			'target'
		);

	const openedAt = new Date(input.openedAt);
	assertTargetReachable(calendar, openedAt, target.firstResponseMinutes, 'target.firstResponseMinutes');
	assertTargetReachable(calendar, openedAt, target.resolutionMinutes, 'target.resolutionMinutes');
	const sla = computeTicketSla(
		{ calendar, warningShare: setup?.warningShare ?? 0.75, pauseStatuses: [] },
		openedSlaState({
			status: 'new',
			openedAt,
			firstResponseMinutes: target.firstResponseMinutes,
			resolutionMinutes: target.resolutionMinutes
		})
	);
	const zone = calendar.timeZone;
	// Without pauses every instant is known.
	const format = (date: Date | null) => formatWithOffset(date!, zone);
	return {
		timeZone: zone,
		firstResponseMinutes: target.firstResponseMinutes,
		resolutionMinutes: target.resolutionMinutes,
		firstResponseDueAt: format(sla.slaFirstResponseDueAt),
		resolutionDueAt: format(sla.slaResolutionDueAt),
		firstResponseWarningAt: format(sla.slaFirstResponseWarningAt),
		resolutionWarningAt: format(sla.slaResolutionWarningAt)
	};
}
