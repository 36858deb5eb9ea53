import { and, asc, eq, max, sql } from 'drizzle-orm';
import { businessCalendars, serviceCenters, slaPolicies, slaTargets } from '../../db/schema';
import { inTransaction, type Ctx, type ServiceArgs } from '../core/context';
import { authorize } from '../auth/policy';
import { conflict, notFound } from '../core/errors';
import { holidayRegions } from '../sla/holidays';
import { BusinessCalendar } from '../sla/business-calendar';
import { assertTargetReachable } from '../sla/sla.service';
import { changedMeanwhile } from './desk-config.service';
import type { CalendarInput, CalendarUpdate, CalendarView, HolidayRegion } from './desk-config.schemas';

/*
 * Business calendars are shared: several centres' SLA policies may count on one. A change takes
 * a new version, which is also what the compiled-calendar cache of server/sla keys on, so the
 * next deadline computed anywhere uses the new hours.
 */

export async function listCalendars({ ctx }: ServiceArgs<void>): Promise<CalendarView[]> {
	authorize(ctx.actor, 'desk_config:read');
	return loadCalendars(ctx.db);
}

/** Italian regions and cities with holidays of their own (a patron saint's day), for `config.region`. */
export function listHolidayRegions({ ctx }: ServiceArgs<void>): HolidayRegion[] {
	authorize(ctx.actor, 'desk_config:read');
	return holidayRegions('IT');
}

async function loadCalendars(db: Ctx['db'], id?: string): Promise<CalendarView[]> {
	const [calendars, usedBy] = await Promise.all([
		db
			.select()
			.from(businessCalendars)
			.where(id ? eq(businessCalendars.id, id) : undefined)
			.orderBy(asc(businessCalendars.name)),
		db
			.select({
				calendarId: slaPolicies.calendarId,
				id: serviceCenters.id,
				code: serviceCenters.code,
				name: serviceCenters.name
			})
			.from(slaPolicies)
			.innerJoin(serviceCenters, eq(serviceCenters.id, slaPolicies.serviceCenterId))
			.where(id ? eq(slaPolicies.calendarId, id) : undefined)
			.orderBy(asc(serviceCenters.code))
	]);
	return calendars.map((c) => ({
		id: c.id,
		name: c.name,
		config: c.config as CalendarView['config'],
		version: c.version,
		usedBy: usedBy.filter((u) => u.calendarId === c.id).map(({ calendarId: _c, ...u }) => u)
	}));
}

async function calendarView(db: Ctx['db'], id: string): Promise<CalendarView> {
	const [found] = await loadCalendars(db, id);
	if (!found) throw notFound('Business calendar');
	return found;
}

export async function createCalendar({ ctx, input }: ServiceArgs<CalendarInput>): Promise<CalendarView> {
	authorize(ctx.actor, 'desk_config:write');
	return inTransaction(ctx, async ({ db }) => {
		const [created] = await db
			.insert(businessCalendars)
			.values({ name: input.name, config: input.config })
			.returning({ id: businessCalendars.id });
		return calendarView(db, created.id);
	});
}

export async function updateCalendar({
	ctx,
	input
}: ServiceArgs<{ id: string; calendar: CalendarUpdate }>): Promise<CalendarView> {
	authorize(ctx.actor, 'desk_config:write');
	const { version, name, config } = input.calendar;
	return inTransaction(ctx, async ({ db }) => {
		// The SLA policies counting on the calendar must still reach their longest target on it.
		const [longest] = await db
			.select({ minutes: max(slaTargets.resolutionMinutes) })
			.from(slaTargets)
			.innerJoin(slaPolicies, eq(slaPolicies.id, slaTargets.policyId))
			.where(eq(slaPolicies.calendarId, input.id));
		if (longest?.minutes)
			assertTargetReachable(new BusinessCalendar(config), new Date(), longest.minutes, 'config.weekHours');
		const [updated] = await db
			.update(businessCalendars)
			.set({ name, config, version: sql`${businessCalendars.version} + 1` })
			.where(and(eq(businessCalendars.id, input.id), eq(businessCalendars.version, version)))
			.returning({ id: businessCalendars.id });
		if (!updated) {
			const [current] = await db
				.select({ version: businessCalendars.version })
				.from(businessCalendars)
				.where(eq(businessCalendars.id, input.id));
			if (!current) throw notFound('Business calendar');
			throw changedMeanwhile('calendar', current.version);
		}
		return calendarView(db, updated.id);
	});
}

/** A calendar has no "active" flag: one that no SLA policy uses can be deleted. */
export async function deleteCalendar({ ctx, input }: ServiceArgs<{ id: string }>): Promise<void> {
	authorize(ctx.actor, 'desk_config:write');
	await inTransaction(ctx, async ({ db }) => {
		const [calendar] = await db
			.select({ id: businessCalendars.id })
			.from(businessCalendars)
			.where(eq(businessCalendars.id, input.id))
			.for('update');
		if (!calendar) throw notFound('Business calendar');
		const users = await db
			.select({ code: serviceCenters.code })
			.from(slaPolicies)
			.innerJoin(serviceCenters, eq(serviceCenters.id, slaPolicies.serviceCenterId))
			.where(eq(slaPolicies.calendarId, input.id));
		if (users.length > 0)
			throw conflict(
				`The calendar is used by the SLA policy of ${users.map((u) => u.code).join(', ')}: choose another calendar there first`,
				'id'
			);
		await db.delete(businessCalendars).where(eq(businessCalendars.id, input.id));
	});
}
