import type { UserCreate, UserPatch, UserView } from '$server/users/users.schemas';
import type { AuditEntry } from '$server/audit/audit.schemas';
import type { TeamView } from '$server/teams/teams.schemas';
import { api, call } from './client';

export type { AuditEntry, TeamView, UserCreate, UserPatch, UserView };

const users = api.admin.users;

export async function listUsers(): Promise<UserView[]> {
	const { items } = await call(() => users.$get());
	return items;
}

export function getUser(id: string): Promise<UserView> {
	return call(() => users[':id'].$get({ param: { id } }));
}

export function createUser(input: UserCreate): Promise<UserView> {
	return call(() => users.$post({ json: input }));
}

/** A partial change against the version read (409 if it moved on); the server writes the trail. */
export function updateUser(
	user: Pick<UserView, 'id' | 'version'>,
	patch: Omit<UserPatch, 'version'>
): Promise<UserView> {
	return call(() =>
		users[':id'].$patch({ param: { id: user.id }, json: { ...patch, version: user.version } })
	);
}

/** Disabling ends the user's sessions at once; `version` is the one read (409 if it moved on). */
export function setUserDisabled(
	user: Pick<UserView, 'id' | 'version'>,
	disabled: boolean
): Promise<UserView> {
	return updateUser(user, { disabled });
}

export async function userAuditTrail(id: string): Promise<AuditEntry[]> {
	return (await call(() => users[':id'].audit.$get({ param: { id } }))).items;
}

export async function listTeams(): Promise<TeamView[]> {
	return (await call(() => api.admin.teams.$get())).items;
}
