import { and, eq, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { serviceCenters, serviceGroupMembers, serviceGroups } from '../../db/schema';
import type { Actor, Ctx } from '../core/context';
import { can } from '../auth/policy';
import { forbidden } from '../core/errors';

/*
 * Who sees which service centre's tickets: an open centre is seen by everyone who works tickets;
 * a reserved one only by its head and the members of its groups. Administrators and background
 * jobs see every centre.
 */

export async function visibleServiceCenterIds(db: DbOrTx, actor: Actor): Promise<string[]> {
	if (!can(actor, 'tickets:read')) return [];
	const seesAll = actor.kind === 'system' || (actor.kind === 'user' && actor.roles.includes('admin'));
	const userId = actor.kind === 'user' ? actor.userId : null;
	const rows = await db
		.select({ id: serviceCenters.id })
		.from(serviceCenters)
		.where(
			and(
				eq(serviceCenters.active, true),
				seesAll || !userId
					? sql`true`
					: or(
							eq(serviceCenters.access, 'open'),
							eq(serviceCenters.headUserId, userId),
							sql`exists (select 1 from ${serviceGroupMembers} m join ${serviceGroups} g on g.id = m.group_id
								where g.service_center_id = ${serviceCenters.id} and m.user_id = ${userId})`
						)
			)
		)
		.orderBy(serviceCenters.code);
	return rows.map((r) => r.id);
}

export async function assertServiceCenterVisible(
	ctx: Pick<Ctx, 'db' | 'actor'>,
	serviceCenterId: string
): Promise<void> {
	const visible = await visibleServiceCenterIds(ctx.db, ctx.actor);
	if (!visible.includes(serviceCenterId)) throw forbidden('This service centre is reserved to its members');
}

/** The service groups the user belongs to, in every centre. */
export async function groupIdsOf(db: DbOrTx, userId: string): Promise<string[]> {
	const rows = await db
		.select({ groupId: serviceGroupMembers.groupId })
		.from(serviceGroupMembers)
		.where(eq(serviceGroupMembers.userId, userId));
	return rows.map((r) => r.groupId);
}
