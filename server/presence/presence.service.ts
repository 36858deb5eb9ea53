import type { ServiceArgs } from '../core/context';
import { authorize } from '../auth/policy';
import { inScope, watchedTeams } from '../teams/team-scope';
import type { PresenceEntry } from '../realtime/contract';

/** Who is connected, across every server process (asked of the Socket.IO adapter, not kept here). */
export interface PresenceDirectory {
	online(): Promise<PresenceEntry[]>;
}

export async function listPresence({ ctx, directory }: ServiceArgs<void> & { directory: PresenceDirectory }) {
	authorize(ctx.actor, 'presence:watch');
	const scope = await watchedTeams(ctx.db, ctx.actor);
	return (await directory.online()).filter((entry) => inScope(scope, entry.teamId));
}
