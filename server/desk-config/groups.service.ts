import { and, asc, count, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import {
	assignmentRules,
	serviceCenters,
	serviceGroupMembers,
	serviceGroups,
	tickets,
	users
} from '../../db/schema';
import { authorize } from '../auth/policy';
import type { ServiceArgs } from '../core/context';
import { badRequest, conflict, notFound } from '../core/errors';
import { visibleServiceCenterIds } from '../tickets/visibility';
import type { GroupConfig, GroupInput, GroupMembersInput, GroupOption } from './desk-config.schemas';
import { isAdmin, writeCenterConfig, type WriteTx } from './desk-config.service';

async function groupView({ db }: WriteTx, id: string): Promise<GroupConfig> {
	const [group] = await db
		.select({ id: serviceGroups.id, name: serviceGroups.name })
		.from(serviceGroups)
		.where(eq(serviceGroups.id, id));
	const members = await db
		.select({ id: users.id, username: users.username, displayName: users.displayName })
		.from(serviceGroupMembers)
		.innerJoin(users, eq(users.id, serviceGroupMembers.userId))
		.where(eq(serviceGroupMembers.groupId, id))
		.orderBy(asc(users.displayName));
	return { ...group, members };
}

async function assertNameFree({ db }: WriteTx, centerId: string, name: string, id: string | null) {
	const [taken] = await db
		.select({ id: serviceGroups.id })
		.from(serviceGroups)
		.where(
			and(
				eq(serviceGroups.serviceCenterId, centerId),
				eq(serviceGroups.name, name),
				id ? ne(serviceGroups.id, id) : undefined
			)
		);
	if (taken) throw conflict(`name: this centre already has a group called ${name}`, 'name');
}

async function groupOfCenter({ db }: WriteTx, centerId: string, id: string) {
	const [group] = await db
		.select({ id: serviceGroups.id, name: serviceGroups.name })
		.from(serviceGroups)
		.where(and(eq(serviceGroups.id, id), eq(serviceGroups.serviceCenterId, centerId)))
		.for('update');
	if (!group) throw notFound('Service group');
	return group;
}

/**
 * After members joined or left a group: who now sees the centre's tickets and who no longer
 * does (a reserved centre is seen by its groups' members only). The notifier moves their open
 * sockets in or out of the centre's room.
 */
export async function raiseAudienceChange(tx: WriteTx, centerId: string, added: string[], removed: string[]) {
	const affected = [...added, ...removed];
	if (affected.length === 0) return;
	const people = await tx.db
		.select({ id: users.id, username: users.username, roles: users.roles, teamId: users.teamId })
		.from(users)
		.where(inArray(users.id, affected));
	const joined: string[] = [];
	const left: string[] = [];
	for (const person of people) {
		const visible = await visibleServiceCenterIds(tx.db, {
			kind: 'user',
			userId: person.id,
			username: person.username,
			roles: person.roles,
			teamId: person.teamId
		});
		if (visible.includes(centerId)) {
			if (added.includes(person.id)) joined.push(person.id);
		} else if (removed.includes(person.id)) left.push(person.id);
	}
	if (joined.length || left.length)
		tx.raise({ type: 'service_center.audience_changed', serviceCenterId: centerId, joined, left });
}

export async function createGroup({
	ctx,
	input
}: ServiceArgs<{ centerId: string; group: GroupInput }>): Promise<GroupConfig> {
	return writeCenterConfig(ctx, input.centerId, async (tx, center) => {
		await assertNameFree(tx, center.id, input.group.name, null);
		const [created] = await tx.db
			.insert(serviceGroups)
			.values({ serviceCenterId: center.id, name: input.group.name })
			.returning({ id: serviceGroups.id });
		return groupView(tx, created.id);
	});
}

export async function renameGroup({
	ctx,
	input
}: ServiceArgs<{ centerId: string; id: string; group: GroupInput }>): Promise<GroupConfig> {
	return writeCenterConfig(ctx, input.centerId, async (tx, center) => {
		await groupOfCenter(tx, center.id, input.id);
		await assertNameFree(tx, center.id, input.group.name, input.id);
		await tx.db.update(serviceGroups).set({ name: input.group.name }).where(eq(serviceGroups.id, input.id));
		return groupView(tx, input.id);
	});
}

/** Operator rules that name one of these users in this group (or in no group) of the centre. */
async function rulesTargeting(tx: WriteTx, centerId: string, groupId: string, userIds: string[]) {
	if (userIds.length === 0) return [];
	const rules = await tx.db
		.select({
			name: assignmentRules.name,
			targetUserId: assignmentRules.targetUserId,
			targetGroupId: assignmentRules.targetGroupId
		})
		.from(assignmentRules)
		.where(
			and(
				eq(assignmentRules.serviceCenterId, centerId),
				eq(assignmentRules.target, 'operator'),
				inArray(assignmentRules.targetUserId, userIds)
			)
		);
	return rules.filter((r) => r.targetGroupId === groupId || r.targetGroupId === null);
}

/** After members left a group: an operator rule must keep pointing at a member of the centre's groups. */
async function assertRulesKeepTheirOperator(
	tx: WriteTx,
	centerId: string,
	groupId: string,
	removed: string[],
	field: string
) {
	for (const rule of await rulesTargeting(tx, centerId, groupId, removed)) {
		const [still] = await tx.db
			.select({ n: count() })
			.from(serviceGroupMembers)
			.innerJoin(serviceGroups, eq(serviceGroups.id, serviceGroupMembers.groupId))
			.where(
				and(
					eq(serviceGroupMembers.userId, rule.targetUserId!),
					rule.targetGroupId
						? eq(serviceGroups.id, rule.targetGroupId)
						: eq(serviceGroups.serviceCenterId, centerId)
				)
			);
		if (still.n === 0)
			throw conflict(
				`${field}: the assignment rule "${rule.name}" sends tickets to a member you removed: change the rule first`,
				field,
				{ issue: 'in_use' }
			);
	}
}

/** Only an enabled account that works tickets may join a group (one already in it may stay). */
export const isActiveOperator = (person: { disabled: boolean; roles: string[] }) =>
	!person.disabled && person.roles.some((r) => r !== 'technician');

/**
 * Replaces the members of a group. Members who join or leave a reserved centre's audience have
 * their open sockets moved at once: no reconnection needed to hear (or stop hearing) its queue.
 */
export async function setGroupMembers({
	ctx,
	input
}: ServiceArgs<{ centerId: string; id: string; members: GroupMembersInput }>): Promise<GroupConfig> {
	const { userIds } = input.members;
	return writeCenterConfig(ctx, input.centerId, async (tx, center) => {
		await groupOfCenter(tx, center.id, input.id);
		const before = (
			await tx.db
				.select({ userId: serviceGroupMembers.userId })
				.from(serviceGroupMembers)
				.where(eq(serviceGroupMembers.groupId, input.id))
		).map((m) => m.userId);
		const added = userIds.filter((id) => !before.includes(id));
		const removed = before.filter((id) => !userIds.includes(id));
		const people = added.length
			? await tx.db
					.select({ id: users.id, disabled: users.disabled, roles: users.roles })
					.from(users)
					.where(inArray(users.id, added))
			: [];
		userIds.forEach((id, index) => {
			if (!added.includes(id)) return;
			const person = people.find((p) => p.id === id);
			if (!person) throw badRequest(`userIds: ${id} is no user`, `userIds.${index}`);
			if (!isActiveOperator(person))
				throw badRequest(`userIds: ${id} is not an active operator`, `userIds.${index}`);
		});
		if (removed.length) {
			await tx.db
				.delete(serviceGroupMembers)
				.where(and(eq(serviceGroupMembers.groupId, input.id), inArray(serviceGroupMembers.userId, removed)));
			await assertRulesKeepTheirOperator(tx, center.id, input.id, removed, 'userIds');
		}
		if (added.length)
			await tx.db.insert(serviceGroupMembers).values(added.map((userId) => ({ groupId: input.id, userId })));
		await raiseAudienceChange(tx, center.id, added, removed);
		return groupView(tx, input.id);
	});
}

/** A group named for a list or a trail: `AT · Primo livello`. */
export interface GroupRef {
	id: string;
	name: string;
}

async function groupRefs(tx: Pick<WriteTx, 'db'>, where: SQL | undefined) {
	return tx.db
		.select({
			id: serviceGroups.id,
			name: sql<string>`${serviceCenters.code} || ' · ' || ${serviceGroups.name}`,
			serviceCenterId: serviceGroups.serviceCenterId
		})
		.from(serviceGroups)
		.innerJoin(serviceCenters, eq(serviceCenters.id, serviceGroups.serviceCenterId))
		.where(where)
		.orderBy(asc(serviceCenters.code), asc(serviceGroups.name));
}

/** Every group of every centre the caller may read, for picking a person's groups. */
export async function listAllGroups({ ctx }: ServiceArgs<void>): Promise<GroupOption[]> {
	authorize(ctx.actor, 'desk_config:read');
	const visible = isAdmin(ctx) ? null : await visibleServiceCenterIds(ctx.db, ctx.actor);
	if (visible?.length === 0) return [];
	return ctx.db
		.select({
			id: serviceGroups.id,
			name: serviceGroups.name,
			serviceCenterId: serviceCenters.id,
			centerCode: serviceCenters.code,
			centerName: serviceCenters.name
		})
		.from(serviceGroups)
		.innerJoin(serviceCenters, eq(serviceCenters.id, serviceGroups.serviceCenterId))
		.where(visible ? inArray(serviceCenters.id, visible) : undefined)
		.orderBy(asc(serviceCenters.code), asc(serviceGroups.name));
}

/** The groups of each of these users (all users when none are named), by user id. */
export async function groupIdsByUser(db: WriteTx['db'], userIds?: string[]): Promise<Map<string, string[]>> {
	if (userIds?.length === 0) return new Map();
	const rows = await db
		.select({ userId: serviceGroupMembers.userId, groupId: serviceGroupMembers.groupId })
		.from(serviceGroupMembers)
		.where(userIds ? inArray(serviceGroupMembers.userId, userIds) : undefined);
	const byUser = new Map<string, string[]>();
	for (const row of rows) byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row.groupId]);
	return byUser;
}

/**
 * Puts one person in exactly these groups, of any centres, inside the caller's transaction: the
 * user screen edits a person's groups where the desk screen edits a group's people, under the
 * same rules (active operators join; an operator rule keeps its operator; sockets follow). The
 * calling verb has authorised the change. Returns the groups before and after, named.
 */
export async function replaceUserGroups(
	tx: WriteTx,
	user: { id: string; disabled: boolean; roles: string[] },
	groupIds: string[]
): Promise<{ before: GroupRef[]; after: GroupRef[] }> {
	const wanted = groupIds.length ? await groupRefs(tx, inArray(serviceGroups.id, groupIds)) : [];
	groupIds.forEach((id, index) => {
		if (!wanted.some((g) => g.id === id))
			throw badRequest(`groupIds: ${id} is no service group`, `groupIds.${index}`, {
				issue: 'missing_reference'
			});
	});
	const current = await groupRefs(
		tx,
		sql`${serviceGroups.id} in (select ${serviceGroupMembers.groupId} from ${serviceGroupMembers} where ${serviceGroupMembers.userId} = ${user.id})`
	);
	const added = wanted.filter((g) => !current.some((c) => c.id === g.id));
	const removed = current.filter((c) => !groupIds.includes(c.id));
	if (added.length === 0 && removed.length === 0) return { before: refs(current), after: refs(current) };
	if (added.length && !isActiveOperator(user))
		throw badRequest('groupIds: only an active operator (not a technician alone) joins a group', 'groupIds', {
			issue: 'invalid_value'
		});
	// The centres' rows are locked as a desk write locks them: the two screens take turns.
	const centreIds = [...new Set([...added, ...removed].map((g) => g.serviceCenterId))].sort();
	await tx.db
		.select({ id: serviceCenters.id })
		.from(serviceCenters)
		.where(inArray(serviceCenters.id, centreIds))
		.orderBy(asc(serviceCenters.id))
		.for('update');
	if (removed.length)
		await tx.db.delete(serviceGroupMembers).where(
			and(
				eq(serviceGroupMembers.userId, user.id),
				inArray(
					serviceGroupMembers.groupId,
					removed.map((g) => g.id)
				)
			)
		);
	for (const group of removed)
		await assertRulesKeepTheirOperator(tx, group.serviceCenterId, group.id, [user.id], 'groupIds');
	if (added.length)
		await tx.db.insert(serviceGroupMembers).values(added.map((g) => ({ groupId: g.id, userId: user.id })));
	for (const centreId of centreIds) {
		const joined = added.some((g) => g.serviceCenterId === centreId) ? [user.id] : [];
		const left = removed.some((g) => g.serviceCenterId === centreId) ? [user.id] : [];
		await raiseAudienceChange(tx, centreId, joined, left);
	}
	return { before: refs(current), after: refs(wanted) };
}

const refs = (groups: Array<GroupRef & { serviceCenterId: string }>): GroupRef[] =>
	groups.map(({ id, name }) => ({ id, name }));

/** A group has no "active" flag: one that no ticket and no assignment rule names can be deleted. */
export async function deleteGroup({
	ctx,
	input
}: ServiceArgs<{ centerId: string; id: string }>): Promise<void> {
	await writeCenterConfig(ctx, input.centerId, async (tx, center) => {
		const group = await groupOfCenter(tx, center.id, input.id);
		const [rule] = await tx.db
			.select({ name: assignmentRules.name })
			.from(assignmentRules)
			.where(eq(assignmentRules.targetGroupId, group.id))
			.limit(1);
		if (rule)
			throw conflict(
				`The assignment rule "${rule.name}" sends tickets to ${group.name}: change it first`,
				'id'
			);
		const [{ n }] = await tx.db.select({ n: count() }).from(tickets).where(eq(tickets.groupId, group.id));
		if (n > 0) throw conflict(`${n} tickets belong to ${group.name}: it cannot be deleted`, 'id');
		const members = await tx.db
			.delete(serviceGroupMembers)
			.where(eq(serviceGroupMembers.groupId, group.id))
			.returning({ userId: serviceGroupMembers.userId });
		await tx.db.delete(serviceGroups).where(eq(serviceGroups.id, group.id));
		await raiseAudienceChange(
			tx,
			center.id,
			[],
			members.map((m) => m.userId)
		);
	});
}
