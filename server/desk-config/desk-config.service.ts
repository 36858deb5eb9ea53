import { asc, eq, inArray, sql } from 'drizzle-orm';
import {
	actionReasons,
	assignmentRules,
	automaticRules,
	notificationRules,
	serviceCenters,
	serviceGroupMembers,
	serviceGroups,
	slaPolicies,
	slaTargets,
	ticketCategories,
	customers,
	machineModels,
	users
} from '../../db/schema';
import { inTransaction, type Ctx, type ServiceArgs } from '../core/context';
import type { DomainEvent } from '../core/events';
import { authorize } from '../auth/policy';
import { conflict, notFound } from '../core/errors';
import { assertServiceCenterVisible, visibleServiceCenterIds } from '../tickets/visibility';
import type { DeskCenter, DeskConfig } from './desk-config.schemas';

/*
 * Shared by every desk-configuration verb: who may read or write a centre's configuration, and
 * the one transaction shape of a write. Supervisors read the centres they may see; only
 * administrators write, and they see every centre, active or not.
 */

export type WriteTx = Ctx & { raise: (event: DomainEvent) => void };

/** 409 for a write based on a version someone else has replaced meanwhile. */
export const changedMeanwhile = (what: string, currentVersion: number) =>
	conflict(
		`The ${what} was changed by someone else (now version ${currentVersion}): reload and retry`,
		'version'
	);

export const isAdmin = (ctx: Pick<Ctx, 'actor'>) =>
	ctx.actor.kind === 'system' || (ctx.actor.kind === 'user' && ctx.actor.roles.includes('admin'));

export const centerView = {
	id: serviceCenters.id,
	code: serviceCenters.code,
	name: serviceCenters.name,
	access: serviceCenters.access,
	active: serviceCenters.active,
	email: serviceCenters.email,
	headUserId: serviceCenters.headUserId,
	// A subquery, not a join: a write locks the centre's row alone (FOR UPDATE). The outer column
	// is spelled out: drizzle leaves columns of a one-table query unqualified.
	calendarId: sql<
		string | null
	>`(select ${slaPolicies.calendarId} from ${slaPolicies} where ${slaPolicies.serviceCenterId} = "service_centers"."id")`,
	version: serviceCenters.version
};

/** The centre, or 404; a supervisor must be able to see it. */
export async function readableCenter(ctx: Ctx, centerId: string): Promise<DeskCenter> {
	authorize(ctx.actor, 'desk_config:read');
	const [center] = await ctx.db
		.select(centerView)
		.from(serviceCenters)
		.where(eq(serviceCenters.id, centerId));
	if (!center) throw notFound('Service centre');
	if (!isAdmin(ctx)) await assertServiceCenterVisible(ctx, centerId);
	return center;
}

/**
 * Runs a configuration write of one centre in a transaction. The centre row is locked until
 * commit, so two administrators editing the same centre (positions, codes) take turns.
 */
export async function writeCenterConfig<T>(
	ctx: Ctx,
	centerId: string,
	work: (tx: WriteTx, center: DeskCenter) => Promise<T>
): Promise<T> {
	authorize(ctx.actor, 'desk_config:write');
	return inTransaction(ctx, async (tx) => {
		const [center] = await tx.db
			.select(centerView)
			.from(serviceCenters)
			.where(eq(serviceCenters.id, centerId))
			.for('update');
		if (!center) throw notFound('Service centre');
		return work(tx, center);
	});
}

/** The centres whose desk the caller may configure (administrators) or read (supervisors). */
export async function listDeskCenters({ ctx }: ServiceArgs<void>): Promise<DeskCenter[]> {
	authorize(ctx.actor, 'desk_config:read');
	const query = ctx.db.select(centerView).from(serviceCenters).orderBy(asc(serviceCenters.code));
	if (isAdmin(ctx)) return query;
	const visible = await visibleServiceCenterIds(ctx.db, ctx.actor);
	return visible.length ? query.where(inArray(serviceCenters.id, visible)) : [];
}

/** Everything the admin screen edits about one centre, inactive rows included. */
export async function getDeskConfig({ ctx, input }: ServiceArgs<{ centerId: string }>): Promise<DeskConfig> {
	const center = await readableCenter(ctx, input.centerId);
	const { db } = ctx;
	const [[policy], categories, reasons, assignment, automatic, notification, groups, members] =
		await Promise.all([
			db.select().from(slaPolicies).where(eq(slaPolicies.serviceCenterId, center.id)),
			db
				.select()
				.from(ticketCategories)
				.where(eq(ticketCategories.serviceCenterId, center.id))
				.orderBy(asc(ticketCategories.sortOrder), asc(ticketCategories.name)),
			db
				.select()
				.from(actionReasons)
				.where(eq(actionReasons.serviceCenterId, center.id))
				.orderBy(asc(actionReasons.sortOrder), asc(actionReasons.name)),
			db
				.select()
				.from(assignmentRules)
				.where(eq(assignmentRules.serviceCenterId, center.id))
				.orderBy(asc(assignmentRules.position), asc(assignmentRules.name)),
			db
				.select()
				.from(automaticRules)
				.where(eq(automaticRules.serviceCenterId, center.id))
				.orderBy(asc(automaticRules.name)),
			db
				.select()
				.from(notificationRules)
				.where(eq(notificationRules.serviceCenterId, center.id))
				.orderBy(asc(notificationRules.event), asc(notificationRules.name)),
			db
				.select({ id: serviceGroups.id, name: serviceGroups.name })
				.from(serviceGroups)
				.where(eq(serviceGroups.serviceCenterId, center.id))
				.orderBy(asc(serviceGroups.name)),
			db
				.select({
					groupId: serviceGroupMembers.groupId,
					id: users.id,
					username: users.username,
					displayName: users.displayName
				})
				.from(serviceGroupMembers)
				.innerJoin(users, eq(users.id, serviceGroupMembers.userId))
				.innerJoin(serviceGroups, eq(serviceGroups.id, serviceGroupMembers.groupId))
				.where(eq(serviceGroups.serviceCenterId, center.id))
				.orderBy(asc(users.displayName))
		]);
	const targets = policy ? await db.select().from(slaTargets).where(eq(slaTargets.policyId, policy.id)) : [];
	// Rule conditions name customers and models by id: the screen shows their names, and offers the
	// model catalogue (small) as a list; customers are searched for.
	const ruleCustomerIds = [...new Set(assignment.flatMap((r) => r.conditions.customerIds ?? []))];
	const [models, ruleCustomers] = await Promise.all([
		db
			.select({ id: machineModels.id, manufacturer: machineModels.manufacturer, name: machineModels.name })
			.from(machineModels)
			.orderBy(asc(machineModels.manufacturer), asc(machineModels.name)),
		ruleCustomerIds.length
			? db
					.select({ id: customers.id, code: customers.code, companyName: customers.companyName })
					.from(customers)
					.where(inArray(customers.id, ruleCustomerIds))
			: Promise.resolve([])
	]);
	return {
		center,
		slaPolicy: policy
			? {
					id: policy.id,
					calendarId: policy.calendarId,
					warningShare: policy.warningShare,
					pauseStatuses: policy.pauseStatuses,
					targets: targets.map((t) => ({
						priority: t.priority,
						serviceLevel: t.serviceLevel,
						firstResponseMinutes: t.firstResponseMinutes,
						resolutionMinutes: t.resolutionMinutes
					})),
					version: policy.version
				}
			: null,
		categories: categories.map(({ serviceCenterId: _c, ...c }) => c),
		actionReasons: reasons.map(({ serviceCenterId: _c, ...r }) => r),
		assignmentRules: assignment.map(({ serviceCenterId: _c, ...r }) => r),
		automaticRules: automatic.map(({ serviceCenterId: _c, ...r }) => r),
		notificationRules: notification.map(({ serviceCenterId: _c, ...r }) => r),
		groups: groups.map((g) => ({
			...g,
			members: members.filter((m) => m.groupId === g.id).map(({ groupId: _g, ...m }) => m)
		})),
		machineModels: models,
		ruleCustomers
	};
}
