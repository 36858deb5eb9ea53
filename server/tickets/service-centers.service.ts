import { asc, eq, inArray } from 'drizzle-orm';
import {
	actionReasons,
	serviceCenters,
	serviceGroupMembers,
	serviceGroups,
	ticketCategories,
	users
} from '../../db/schema';
import type { ServiceArgs } from '../core/context';
import { authorize, can } from '../auth/policy';
import { slaPolicyViews } from '../sla/sla.service';
import type { ServiceCenterView } from './tickets.schemas';
import { visibleServiceCenterIds } from './visibility';

/**
 * The service centres the caller may see, with what a ticket screen needs to work offline from
 * the server's rules: groups and members, the category tree, action reasons and the SLA policy.
 */
export async function listServiceCenters({ ctx }: ServiceArgs<void>): Promise<ServiceCenterView[]> {
	authorize(ctx.actor, 'tickets:read');
	const ids = await visibleServiceCenterIds(ctx.db, ctx.actor);
	if (ids.length === 0) return [];
	const userId = ctx.actor.kind === 'user' ? ctx.actor.userId : null;
	const [centers, groups, members, categories, reasons, policies] = await Promise.all([
		ctx.db
			.select()
			.from(serviceCenters)
			.where(inArray(serviceCenters.id, ids))
			.orderBy(asc(serviceCenters.code)),
		ctx.db
			.select()
			.from(serviceGroups)
			.where(inArray(serviceGroups.serviceCenterId, ids))
			.orderBy(asc(serviceGroups.name)),
		ctx.db
			.select({ groupId: serviceGroupMembers.groupId, id: users.id, displayName: users.displayName })
			.from(serviceGroupMembers)
			.innerJoin(users, eq(users.id, serviceGroupMembers.userId))
			.innerJoin(serviceGroups, eq(serviceGroups.id, serviceGroupMembers.groupId))
			.where(inArray(serviceGroups.serviceCenterId, ids))
			.orderBy(asc(users.displayName)),
		ctx.db
			.select()
			.from(ticketCategories)
			.where(inArray(ticketCategories.serviceCenterId, ids))
			.orderBy(asc(ticketCategories.sortOrder), asc(ticketCategories.name)),
		ctx.db
			.select()
			.from(actionReasons)
			.where(inArray(actionReasons.serviceCenterId, ids))
			.orderBy(asc(actionReasons.sortOrder), asc(actionReasons.name)),
		slaPolicyViews(ctx.db, ids)
	]);
	const categoryById = new Map(categories.map((c) => [c.id, c]));
	const pathOf = (id: string): string => {
		const names: string[] = [];
		for (
			let c = categoryById.get(id);
			c && names.length < 10;
			c = c.parentId ? categoryById.get(c.parentId) : undefined
		)
			names.unshift(c.name);
		return names.join(' > ');
	};
	const roles = ctx.actor.kind === 'user' ? ctx.actor.roles : [];
	return centers.map((center) => {
		const centerGroups = groups.filter((g) => g.serviceCenterId === center.id);
		return {
			id: center.id,
			code: center.code,
			name: center.name,
			access: center.access,
			myGroupIds: centerGroups
				.filter((g) => members.some((m) => m.groupId === g.id && m.id === userId))
				.map((g) => g.id),
			groups: centerGroups.map((g) => ({
				id: g.id,
				name: g.name,
				members: members
					.filter((m) => m.groupId === g.id)
					.map((m) => ({ id: m.id, displayName: m.displayName }))
			})),
			categories: categories
				.filter((c) => c.serviceCenterId === center.id && c.active)
				.map((c) => ({ id: c.id, parentId: c.parentId, code: c.code, name: c.name, path: pathOf(c.id) })),
			actionReasons: reasons
				.filter((r) => r.serviceCenterId === center.id && r.active)
				.map((r) => ({
					id: r.id,
					code: r.code,
					name: r.name,
					allowedFrom: r.allowedFrom,
					allowedRoles: r.allowedRoles,
					effects: r.effects,
					defaultChannel: r.defaultChannel,
					public: r.public,
					usableByMe:
						can(ctx.actor, 'tickets:write') &&
						(r.allowedRoles.length === 0 || roles.some((role) => r.allowedRoles.includes(role)))
				})),
			sla: policies.get(center.id) ?? null
		};
	});
}
