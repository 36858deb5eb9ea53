import type { Database } from '../../db/client';
import { DomainEventBus } from '../core/events';
import { createUser } from './users.service';
import { userCreate } from './users.schemas';

/** Creates an administrator as the system (no one is signed in yet). */
export async function createFirstAdmin(
	db: Database,
	input: { username: string; password: string; displayName?: string }
) {
	return createUser({
		ctx: { actor: { kind: 'system', name: 'first-admin' }, db, events: new DomainEventBus() },
		input: userCreate.parse({
			username: input.username,
			displayName: input.displayName ?? 'Administrator',
			password: input.password,
			roles: ['admin']
		})
	});
}
