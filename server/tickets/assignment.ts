import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import {
	assignmentRules,
	groupRotations,
	machines,
	serviceGroupMembers,
	ticketIsOpen,
	tickets,
	users,
	type TicketOrigin,
	type TicketPriority
} from '../../db/schema';
import { categoryLineage } from './categories';

export interface AssignmentFacts {
	serviceCenterId: string;
	categoryId: string | null;
	priority: TicketPriority;
	customerId: string;
	machineId: string | null;
	serviceLevel: 'basic' | 'standard' | 'premium' | null;
	origin: TicketOrigin;
}

export interface Assignment {
	ownerId: string | null;
	groupId: string | null;
	rule: { id: string; name: string } | null;
}

/**
 * Evaluates the centre's assignment rules in order; the first that matches decides. No match,
 * or a manual rule, leaves the ticket "to assign" (no owner, no group).
 */
export async function assignByRules(db: DbOrTx, facts: AssignmentFacts): Promise<Assignment> {
	const rules = await db
		.select()
		.from(assignmentRules)
		.where(and(eq(assignmentRules.serviceCenterId, facts.serviceCenterId), eq(assignmentRules.active, true)))
		.orderBy(asc(assignmentRules.position));
	if (rules.length === 0) return { ownerId: null, groupId: null, rule: null };

	const needs = (key: 'categoryIds' | 'machineModelIds') =>
		rules.some((r) => (r.conditions[key]?.length ?? 0) > 0);
	const lineage = needs('categoryIds') ? await categoryLineage(db, facts.categoryId) : [];
	let modelId: string | null = null;
	if (facts.machineId && needs('machineModelIds')) {
		const [m] = await db
			.select({ modelId: machines.modelId })
			.from(machines)
			.where(eq(machines.id, facts.machineId));
		modelId = m?.modelId ?? null;
	}

	for (const rule of rules) {
		const c = rule.conditions;
		if (c.categoryIds?.length && !c.categoryIds.some((id) => lineage.includes(id))) continue;
		if (c.priorities?.length && !c.priorities.includes(facts.priority)) continue;
		if (c.customerIds?.length && !c.customerIds.includes(facts.customerId)) continue;
		if (c.machineModelIds?.length && (!modelId || !c.machineModelIds.includes(modelId))) continue;
		if (c.serviceLevels?.length && (!facts.serviceLevel || !c.serviceLevels.includes(facts.serviceLevel)))
			continue;
		if (c.origins?.length && !c.origins.includes(facts.origin)) continue;

		const matched = { id: rule.id, name: rule.name };
		if (rule.target === 'manual') return { ownerId: null, groupId: null, rule: matched };
		if (rule.target === 'operator')
			return { ownerId: rule.targetUserId, groupId: rule.targetGroupId, rule: matched };
		const groupId = rule.targetGroupId;
		if (!groupId) continue; // a group rule without its group cannot decide
		const ownerId =
			rule.distribution === 'round_robin'
				? await nextInRotation(db, groupId)
				: rule.distribution === 'least_loaded'
					? await leastLoadedMember(db, groupId)
					: null;
		return { ownerId, groupId, rule: matched };
	}
	return { ownerId: null, groupId: null, rule: null };
}

/** Enabled members who may work tickets, in a stable order. */
async function eligibleMembers(db: DbOrTx, groupId: string): Promise<string[]> {
	const rows = await db
		.select({ id: users.id })
		.from(serviceGroupMembers)
		.innerJoin(users, eq(users.id, serviceGroupMembers.userId))
		.where(
			and(
				eq(serviceGroupMembers.groupId, groupId),
				eq(users.disabled, false),
				sql`${users.roles} && array['agent', 'dispatcher', 'supervisor', 'admin']::role[]`
			)
		)
		.orderBy(asc(users.username));
	return rows.map((r) => r.id);
}

/** The member after the last one served. The rotation row is locked until commit, so concurrent creations take turns. */
async function nextInRotation(db: DbOrTx, groupId: string): Promise<string | null> {
	const members = await eligibleMembers(db, groupId);
	if (members.length === 0) return null;
	await db.insert(groupRotations).values({ groupId, lastUserId: null }).onConflictDoNothing();
	const [rotation] = await db
		.select()
		.from(groupRotations)
		.where(eq(groupRotations.groupId, groupId))
		.for('update');
	const last = rotation?.lastUserId ? members.indexOf(rotation.lastUserId) : -1;
	const next = members[(last + 1) % members.length];
	await db.update(groupRotations).set({ lastUserId: next }).where(eq(groupRotations.groupId, groupId));
	return next;
}

/** The member with the fewest open tickets; ties go in name order. */
async function leastLoadedMember(db: DbOrTx, groupId: string): Promise<string | null> {
	const members = await eligibleMembers(db, groupId);
	if (members.length === 0) return null;
	// Serialise choices for this group, so two tickets created at once do not both pick the same member.
	await db.execute(sql`select pg_advisory_xact_lock(hashtext('ticket-group-load'), hashtext(${groupId}))`);
	const loads = await db
		.select({ ownerId: tickets.ownerId, n: count() })
		.from(tickets)
		.where(and(inArray(tickets.ownerId, members), ticketIsOpen))
		.groupBy(tickets.ownerId);
	const load = new Map(loads.map((l) => [l.ownerId, l.n]));
	let best = members[0];
	for (const m of members) if ((load.get(m) ?? 0) < (load.get(best) ?? 0)) best = m;
	return best;
}
