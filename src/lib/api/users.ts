import type { UserView } from '$server/users/users.schemas';
import { api, call } from './client';

export type { UserView };

export async function listUsers(): Promise<UserView[]> {
	const { items } = await call(() => api.admin.users.$get());
	return items;
}

/** Disabling ends the user's sessions at once; `version` is the one read (409 if it moved on). */
export function setUserDisabled(
	user: Pick<UserView, 'id' | 'version'>,
	disabled: boolean
): Promise<UserView> {
	return call(() =>
		api.admin.users[':id'].$patch({ param: { id: user.id }, json: { version: user.version, disabled } })
	);
}
