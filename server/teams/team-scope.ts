import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import type { Actor } from '../core/context';

/** The teams whose people a watcher sees: `'all'`, or a list of team ids. */
export type TeamScope = 'all' | string[];

/**
 * A supervisor sees the work of the teams they manage and of every team below them;
 * administrators (and system jobs) see everyone.
 */
export async function watchedTeams(db: DbOrTx, actor: Actor): Promise<TeamScope> {
	if (actor.kind !== 'user' || actor.roles.includes('admin')) return 'all';
	const rows = await db.execute<{ id: string }>(sql`
		with recursive scope as (
			select id from teams where manager_id = ${actor.userId}
			union
			select t.id from teams t join scope s on t.parent_id = s.id
		)
		select id from scope`);
	return rows.map((r) => r.id);
}

export function inScope(scope: TeamScope, teamId: string | null): boolean {
	return scope === 'all' || (teamId !== null && scope.includes(teamId));
}
