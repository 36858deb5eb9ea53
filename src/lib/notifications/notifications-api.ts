import type { NotificationView } from '$server/notifications/notifications.schemas';
import { api, call } from '$lib/api/client';

export type { NotificationView };
export type NotificationKind = NotificationView['kind'];

export function listNotifications(query: { page?: number; pageSize?: number; unreadOnly?: boolean } = {}) {
	return call(() =>
		api.notifications.$get({
			query: {
				page: String(query.page ?? 1),
				pageSize: String(query.pageSize ?? 20),
				unreadOnly: query.unreadOnly ? 'true' : 'false'
			}
		})
	);
}

/** Marks some of the caller's notifications read, or all of them; answers the unread count. */
export async function markNotificationsRead(which: { ids: string[] } | { all: true }): Promise<number> {
	return (await call(() => api.notifications.read.$post({ json: which }))).unread;
}
