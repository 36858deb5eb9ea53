import type { PresenceEntry } from '$server/realtime/contract';
import { api, call } from './client';

export type { PresenceEntry };

export async function listPresence(): Promise<PresenceEntry[]> {
	const { items } = await call(() => api.presence.$get());
	return items;
}
