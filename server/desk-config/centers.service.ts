import { and, count, eq, max, ne, sql } from 'drizzle-orm';
import {
	businessCalendars,
	serviceCenters,
	slaPolicies,
	slaTargets,
	tickets,
	ticketIsOpen,
	users
} from '../../db/schema';
import { inTransaction, type ServiceArgs } from '../core/context';
import { authorize } from '../auth/policy';
import { badRequest, conflict, notFound } from '../core/errors';
import { auditTrailOf, changedFields, recordAudit } from '../audit/audit';
import type { AuditEntry } from '../audit/audit.schemas';
import { BusinessCalendar, type BusinessCalendarInput } from '../sla/business-calendar';
import { assertTargetReachable } from '../sla/sla.service';
import type { CenterInput, CenterPatch, DeskCenter } from './desk-config.schemas';
import { centerView, changedMeanwhile, readableCenter, type WriteTx } from './desk-config.service';
import { isActiveOperator, raiseAudienceChange } from './groups.service';

/*
 * Service centres themselves: code, name, open or reserved, head, e-mail, active, and the business
 * calendar of their SLA policy. Administrators create and edit them; every change writes an entry
 * in the audit trail in its transaction.
 */

const auditedFields = ['code', 'name', 'access', 'active', 'email'] as const;

async function centreOf({ db }: Pick<WriteTx, 'db'>, id: string): Promise<DeskCenter> {
	const [center] = await db.select(centerView).from(serviceCenters).where(eq(serviceCenters.id, id));
	return center;
}

async function assertCodeFree({ db }: Pick<WriteTx, 'db'>, code: string, id: string | null) {
	const [taken] = await db
		.select({ id: serviceCenters.id })
		.from(serviceCenters)
		.where(and(eq(serviceCenters.code, code), id ? ne(serviceCenters.id, id) : undefined));
	if (taken) throw conflict(`code: another service centre is ${code}`, 'code', { issue: 'taken' });
}

async function userRef({ db }: Pick<WriteTx, 'db'>, userId: string | null) {
	if (!userId) return null;
	const [user] = await db
		.select({ id: users.id, name: users.displayName, disabled: users.disabled, roles: users.roles })
		.from(users)
		.where(eq(users.id, userId));
	return user ?? null;
}

/** The head must be an enabled account that works tickets; returned named, for the trail. */
async function headOf(tx: Pick<WriteTx, 'db'>, userId: string | null) {
	if (!userId) return null;
	const head = await userRef(tx, userId);
	if (!head) throw badRequest('headUserId: no such user', 'headUserId', { issue: 'missing_reference' });
	if (!isActiveOperator(head))
		throw badRequest('headUserId: the head must be an active operator', 'headUserId', {
			issue: 'invalid_value'
		});
	return { id: head.id, name: head.name };
}

async function calendarRef({ db }: Pick<WriteTx, 'db'>, calendarId: string | null) {
	if (!calendarId) return null;
	const [calendar] = await db
		.select({ id: businessCalendars.id, name: businessCalendars.name, config: businessCalendars.config })
		.from(businessCalendars)
		.where(eq(businessCalendars.id, calendarId));
	if (!calendar)
		throw badRequest('calendarId: no such business calendar', 'calendarId', { issue: 'missing_reference' });
	return calendar;
}

/**
 * Puts the centre's SLA policy on this calendar: a new policy without targets when it has none;
 * otherwise its longest target must still be reachable on the new calendar.
 */
async function moveToCalendar(
	tx: WriteTx,
	centerId: string,
	calendar: { id: string; config: BusinessCalendarInput }
) {
	const [policy] = await tx.db
		.select({ id: slaPolicies.id })
		.from(slaPolicies)
		.where(eq(slaPolicies.serviceCenterId, centerId))
		.for('update');
	if (!policy) {
		await tx.db.insert(slaPolicies).values({ serviceCenterId: centerId, calendarId: calendar.id });
		return;
	}
	const [longest] = await tx.db
		.select({ minutes: max(slaTargets.resolutionMinutes) })
		.from(slaTargets)
		.where(eq(slaTargets.policyId, policy.id));
	if (longest?.minutes)
		assertTargetReachable(new BusinessCalendar(calendar.config), new Date(), longest.minutes, 'calendarId');
	await tx.db
		.update(slaPolicies)
		.set({ calendarId: calendar.id, version: sql`${slaPolicies.version} + 1` })
		.where(eq(slaPolicies.id, policy.id));
}

/**
 * Who hears the centre's queue follows its access and active flag at once: every account that
 * works tickets is asked again (a rare administrative change, so one visibility query each).
 */
async function refreshAudience(tx: WriteTx, centerId: string) {
	const people = await tx.db
		.select({ id: users.id })
		.from(users)
		.where(
			and(
				eq(users.disabled, false),
				sql`${users.roles} && array['agent', 'dispatcher', 'supervisor', 'admin']::role[]`
			)
		);
	const ids = people.map((p) => p.id);
	await raiseAudienceChange(tx, centerId, ids, ids);
}

export async function createCenter({ ctx, input }: ServiceArgs<CenterInput>): Promise<DeskCenter> {
	authorize(ctx.actor, 'desk_config:write');
	return inTransaction(ctx, async (tx) => {
		await assertCodeFree(tx, input.code, null);
		const head = await headOf(tx, input.headUserId ?? null);
		const calendar = await calendarRef(tx, input.calendarId ?? null);
		const [created] = await tx.db
			.insert(serviceCenters)
			.values({
				code: input.code,
				name: input.name,
				access: input.access,
				email: input.email ?? null,
				headUserId: head?.id ?? null
			})
			.returning({ id: serviceCenters.id });
		if (calendar) await moveToCalendar(tx, created.id, calendar);
		const center = await centreOf(tx, created.id);
		await recordAudit(tx.db, ctx.actor, {
			entity: 'service_center',
			entityId: center.id,
			action: 'created',
			changes: {
				// A new centre is active: its trail starts with what was given.
				...changedFields(
					null,
					center,
					auditedFields.filter((field) => field !== 'active')
				),
				...(head ? { head: { from: null, to: head } } : {}),
				...(calendar ? { calendar: { from: null, to: { id: calendar.id, name: calendar.name } } } : {})
			}
		});
		await refreshAudience(tx, center.id);
		return center;
	});
}

export async function updateCenter({
	ctx,
	input
}: ServiceArgs<{ id: string; patch: CenterPatch }>): Promise<DeskCenter> {
	authorize(ctx.actor, 'desk_config:write');
	const { version, calendarId, headUserId, ...fields } = input.patch;
	return inTransaction(ctx, async (tx) => {
		const [before] = await tx.db
			.select(centerView)
			.from(serviceCenters)
			.where(eq(serviceCenters.id, input.id))
			.for('update');
		if (!before) throw notFound('Service centre');
		if (before.version !== version) throw changedMeanwhile('service centre', before.version);
		if (fields.code !== undefined) await assertCodeFree(tx, fields.code, before.id);
		if (fields.active === false && before.active) {
			const [open] = await tx.db
				.select({ n: count() })
				.from(tickets)
				.where(and(eq(tickets.serviceCenterId, before.id), ticketIsOpen));
			if (open.n > 0)
				throw conflict(
					`active: ${open.n} open tickets belong to ${before.code}: close or move them first`,
					'active',
					{ issue: 'in_use' }
				);
		}
		const changes = changedFields(before, { ...before, ...fields }, auditedFields);
		const newHead = headUserId !== undefined && headUserId !== before.headUserId;
		const newCalendar = calendarId !== undefined && calendarId !== before.calendarId;
		// Saving a form as it was read changes nothing: no new version, no trail entry.
		if (!newHead && !newCalendar && Object.keys(changes).length === 0) return before;
		if (newHead) {
			const from = await userRef(tx, before.headUserId);
			changes.head = { from: from && { id: from.id, name: from.name }, to: await headOf(tx, headUserId) };
		}
		if (newCalendar) {
			const from = await calendarRef(tx, before.calendarId);
			const to = (await calendarRef(tx, calendarId))!;
			await moveToCalendar(tx, before.id, to);
			changes.calendar = { from: from && { id: from.id, name: from.name }, to: { id: to.id, name: to.name } };
		}
		await tx.db
			.update(serviceCenters)
			.set({
				...fields,
				...(newHead ? { headUserId } : {}),
				version: sql`${serviceCenters.version} + 1`
			})
			.where(eq(serviceCenters.id, before.id));
		const after = await centreOf(tx, before.id);
		await recordAudit(tx.db, ctx.actor, {
			entity: 'service_center',
			entityId: after.id,
			action: 'updated',
			changes
		});
		if (before.access !== after.access || before.active !== after.active || newHead)
			await refreshAudience(tx, after.id);
		return after;
	});
}

export async function centerAuditTrail({ ctx, input }: ServiceArgs<{ id: string }>): Promise<AuditEntry[]> {
	await readableCenter(ctx, input.id);
	return auditTrailOf(ctx.db, 'service_center', input.id);
}
