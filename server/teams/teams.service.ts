import { asc } from 'drizzle-orm';
import { teams } from '../../db/schema';
import type { ServiceArgs } from '../core/context';
import { authorize } from '../auth/policy';
import type { TeamView } from './teams.schemas';

/** The teams a user can be put in, for the administrator's user screen. */
export async function listTeams({ ctx }: ServiceArgs<void>): Promise<TeamView[]> {
	authorize(ctx.actor, 'users:manage');
	return ctx.db
		.select({ id: teams.id, name: teams.name, parentId: teams.parentId })
		.from(teams)
		.orderBy(asc(teams.name));
}
