import type { TicketRow, TicketView } from './tickets-api';

/** Who looks at a queue: the view rules depend on the user and their groups in the centre. */
export interface QueueViewer {
	userId: string;
	/** The viewer's groups in the queue's service centre. */
	myGroupIds: readonly string[];
}

/** Not yet resolved or closed: the queue's open views and the customer page's open tickets. */
export const isOpen = (row: Pick<TicketRow, 'status'>) =>
	row.status !== 'resolved' && row.status !== 'closed';

/**
 * Whether a row belongs to a view: the same rules as the server's queue query
 * (server/tickets/tickets.service.ts, viewFilter), so a live change can move a row in or out
 * without asking the server again.
 */
export function belongsToView(row: TicketRow, view: TicketView, viewer: QueueViewer): boolean {
	if (!isOpen(row)) return false;
	switch (view) {
		case 'open':
			return true;
		case 'mine':
			return row.ownerId !== null && row.ownerId === viewer.userId;
		case 'my_groups':
			return row.groupId !== null && viewer.myGroupIds.includes(row.groupId);
		case 'to_take':
			return row.ownerId === null && row.groupId !== null && viewer.myGroupIds.includes(row.groupId);
		case 'to_assign':
			return row.ownerId === null && row.groupId === null;
		case 'breached':
			return row.slaBreached;
	}
}

/** The server's queue order: next SLA deadline first (none, or paused, last), then the oldest, then id. */
export function byUrgency(a: TicketRow, b: TicketRow): number {
	if (a.slaNextDueAt !== b.slaNextDueAt) {
		if (a.slaNextDueAt === null) return 1;
		if (b.slaNextDueAt === null) return -1;
		const due = Date.parse(a.slaNextDueAt) - Date.parse(b.slaNextDueAt);
		if (due !== 0) return due;
	}
	const opened = Date.parse(a.openedAt) - Date.parse(b.openedAt);
	if (opened !== 0) return opened;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
