import { and, asc, eq, getTableColumns, inArray, max } from 'drizzle-orm';
import {
	assignmentRules,
	automaticRules,
	customers,
	machineModels,
	notificationRules,
	serviceGroupMembers,
	serviceGroups,
	ticketCategories,
	users
} from '../../db/schema';
import type { ServiceArgs } from '../core/context';
import { badRequest, notFound } from '../core/errors';
import type {
	AssignmentRuleConfig,
	AssignmentRuleInput,
	AssignmentRuleOrder,
	AutomaticRuleConfig,
	AutomaticRuleInput,
	NotificationRuleConfig,
	NotificationRuleInput
} from './desk-config.schemas';
import { writeCenterConfig, type WriteTx } from './desk-config.service';

const { serviceCenterId: _a, ...assignmentView } = getTableColumns(assignmentRules);
const { serviceCenterId: _b, ...automaticView } = getTableColumns(automaticRules);
const { serviceCenterId: _c, ...notificationView } = getTableColumns(notificationRules);

/** Every id must exist (and, for categories, belong to the centre): 400 naming the list otherwise. */
async function assertAllExist(
	field: string,
	ids: readonly string[] | undefined,
	find: (ids: string[]) => Promise<Array<{ id: string }>>
) {
	if (!ids?.length) return;
	const found = new Set((await find([...ids])).map((r) => r.id));
	const missing = ids.findIndex((id) => !found.has(id));
	if (missing >= 0) throw badRequest(`${field}: ${ids[missing]} is unknown here`, `${field}.${missing}`);
}

const categoriesOf = (tx: WriteTx, centerId: string) => (ids: string[]) =>
	tx.db
		.select({ id: ticketCategories.id })
		.from(ticketCategories)
		.where(and(eq(ticketCategories.serviceCenterId, centerId), inArray(ticketCategories.id, ids)));

// ---------------------------------------------------------------------------------------------
// Assignment rules

async function checkAssignmentRule(tx: WriteTx, centerId: string, rule: AssignmentRuleInput) {
	const { db } = tx;
	const c = rule.conditions;
	await assertAllExist('conditions.categoryIds', c.categoryIds, categoriesOf(tx, centerId));
	await assertAllExist('conditions.customerIds', c.customerIds, (ids) =>
		db.select({ id: customers.id }).from(customers).where(inArray(customers.id, ids))
	);
	await assertAllExist('conditions.machineModelIds', c.machineModelIds, (ids) =>
		db.select({ id: machineModels.id }).from(machineModels).where(inArray(machineModels.id, ids))
	);
	if (rule.targetGroupId) {
		const [group] = await db
			.select({ serviceCenterId: serviceGroups.serviceCenterId })
			.from(serviceGroups)
			.where(eq(serviceGroups.id, rule.targetGroupId));
		if (group?.serviceCenterId !== centerId)
			throw badRequest('targetGroupId: not a group of this service centre', 'targetGroupId');
	}
	if (rule.targetUserId) {
		const [user] = await db
			.select({ disabled: users.disabled, roles: users.roles })
			.from(users)
			.where(eq(users.id, rule.targetUserId));
		if (!user) throw badRequest('targetUserId: no such user', 'targetUserId');
		if (user.disabled || !user.roles.some((r) => r !== 'technician'))
			throw badRequest('targetUserId: not an active operator', 'targetUserId');
		const [member] = await db
			.select({ groupId: serviceGroupMembers.groupId })
			.from(serviceGroupMembers)
			.innerJoin(serviceGroups, eq(serviceGroups.id, serviceGroupMembers.groupId))
			.where(
				and(
					eq(serviceGroupMembers.userId, rule.targetUserId),
					rule.targetGroupId
						? eq(serviceGroups.id, rule.targetGroupId)
						: eq(serviceGroups.serviceCenterId, centerId)
				)
			)
			.limit(1);
		if (!member)
			throw badRequest(
				rule.targetGroupId
					? 'targetUserId: not a member of the target group'
					: "targetUserId: not a member of any of this centre's groups",
				'targetUserId'
			);
	}
}

/** What is stored: a manual rule names nobody, a group rule no operator. */
function assignmentValues(rule: AssignmentRuleInput) {
	return {
		...rule,
		targetUserId: rule.target === 'operator' ? rule.targetUserId : null,
		targetGroupId: rule.target === 'manual' ? null : rule.targetGroupId
	};
}

/** A new rule goes last: the rules before it keep deciding first. */
export async function createAssignmentRule({
	ctx,
	input
}: ServiceArgs<{ centerId: string; rule: AssignmentRuleInput }>): Promise<AssignmentRuleConfig> {
	return writeCenterConfig(ctx, input.centerId, async (tx, center) => {
		await checkAssignmentRule(tx, center.id, input.rule);
		const [{ last }] = await tx.db
			.select({ last: max(assignmentRules.position) })
			.from(assignmentRules)
			.where(eq(assignmentRules.serviceCenterId, center.id));
		const [created] = await tx.db
			.insert(assignmentRules)
			.values({ ...assignmentValues(input.rule), serviceCenterId: center.id, position: (last ?? 0) + 1 })
			.returning(assignmentView);
		return created;
	});
}

export async function updateAssignmentRule({
	ctx,
	input
}: ServiceArgs<{ centerId: string; id: string; rule: AssignmentRuleInput }>): Promise<AssignmentRuleConfig> {
	return writeCenterConfig(ctx, input.centerId, async (tx, center) => {
		await checkAssignmentRule(tx, center.id, input.rule);
		const [updated] = await tx.db
			.update(assignmentRules)
			.set(assignmentValues(input.rule))
			.where(and(eq(assignmentRules.id, input.id), eq(assignmentRules.serviceCenterId, center.id)))
			.returning(assignmentView);
		if (!updated) throw notFound('Assignment rule');
		return updated;
	});
}

/** Sets the order in which the rules are tried: `ids` lists every rule of the centre. */
export async function reorderAssignmentRules({
	ctx,
	input
}: ServiceArgs<{ centerId: string; order: AssignmentRuleOrder }>): Promise<AssignmentRuleConfig[]> {
	return writeCenterConfig(ctx, input.centerId, async ({ db }, center) => {
		const rules = await db
			.select({ id: assignmentRules.id })
			.from(assignmentRules)
			.where(eq(assignmentRules.serviceCenterId, center.id));
		const { ids } = input.order;
		const known = new Set(rules.map((r) => r.id));
		const stranger = ids.findIndex((id) => !known.has(id));
		if (stranger >= 0)
			throw badRequest(`ids: ${ids[stranger]} is not a rule of this centre`, `ids.${stranger}`);
		if (ids.length !== rules.length)
			throw badRequest('ids: list every rule of the centre (a rule was added meanwhile?)', 'ids');
		for (const [index, id] of ids.entries())
			await db
				.update(assignmentRules)
				.set({ position: index + 1 })
				.where(eq(assignmentRules.id, id));
		return db
			.select(assignmentView)
			.from(assignmentRules)
			.where(eq(assignmentRules.serviceCenterId, center.id))
			.orderBy(asc(assignmentRules.position));
	});
}

// ---------------------------------------------------------------------------------------------
// Automatic rules

export async function createAutomaticRule({
	ctx,
	input
}: ServiceArgs<{ centerId: string; rule: AutomaticRuleInput }>): Promise<AutomaticRuleConfig> {
	return writeCenterConfig(ctx, input.centerId, async ({ db }, center) => {
		const [created] = await db
			.insert(automaticRules)
			.values({ ...input.rule, serviceCenterId: center.id })
			.returning(automaticView);
		return created;
	});
}

export async function updateAutomaticRule({
	ctx,
	input
}: ServiceArgs<{ centerId: string; id: string; rule: AutomaticRuleInput }>): Promise<AutomaticRuleConfig> {
	return writeCenterConfig(ctx, input.centerId, async ({ db }, center) => {
		const [updated] = await db
			.update(automaticRules)
			.set(input.rule)
			.where(and(eq(automaticRules.id, input.id), eq(automaticRules.serviceCenterId, center.id)))
			.returning(automaticView);
		if (!updated) throw notFound('Automatic rule');
		return updated;
	});
}

// ---------------------------------------------------------------------------------------------
// Notification rules

export async function createNotificationRule({
	ctx,
	input
}: ServiceArgs<{ centerId: string; rule: NotificationRuleInput }>): Promise<NotificationRuleConfig> {
	return writeCenterConfig(ctx, input.centerId, async (tx, center) => {
		await assertAllExist(
			'conditions.categoryIds',
			input.rule.conditions.categoryIds,
			categoriesOf(tx, center.id)
		);
		const [created] = await tx.db
			.insert(notificationRules)
			.values({ ...input.rule, serviceCenterId: center.id })
			.returning(notificationView);
		return created;
	});
}

export async function updateNotificationRule({
	ctx,
	input
}: ServiceArgs<{
	centerId: string;
	id: string;
	rule: NotificationRuleInput;
}>): Promise<NotificationRuleConfig> {
	return writeCenterConfig(ctx, input.centerId, async (tx, center) => {
		await assertAllExist(
			'conditions.categoryIds',
			input.rule.conditions.categoryIds,
			categoriesOf(tx, center.id)
		);
		const [updated] = await tx.db
			.update(notificationRules)
			.set(input.rule)
			.where(and(eq(notificationRules.id, input.id), eq(notificationRules.serviceCenterId, center.id)))
			.returning(notificationView);
		if (!updated) throw notFound('Notification rule');
		return updated;
	});
}
