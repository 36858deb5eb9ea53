import type {
	HistoryEntry,
	ServiceCenterView,
	TicketAction,
	TicketCounts,
	TicketCreate,
	TicketDetail,
	TicketList,
	TicketRow,
	TicketView
} from '$server/tickets/tickets.schemas';
import { ticketTextMax, ticketTitleMax, ticketViews } from '$server/tickets/tickets.schemas';
import type { SlaAlert, TicketChange } from '$server/realtime/contract';
import { api, call } from '$lib/api/client';

export type {
	HistoryEntry,
	ServiceCenterView,
	SlaAlert,
	TicketAction,
	TicketChange,
	TicketCounts,
	TicketCreate,
	TicketDetail,
	TicketList,
	TicketRow,
	TicketView
};
export { ticketTextMax, ticketTitleMax, ticketViews };
export type TicketStatus = TicketRow['status'];
export type TicketPriority = TicketRow['priority'];
export type TicketOrigin = TicketRow['origin'];
export type ActionReason = ServiceCenterView['actionReasons'][number];
export type ActionChannel = ActionReason['defaultChannel'];

export const ticketPriorities: readonly TicketPriority[] = ['urgent', 'high', 'normal', 'low'];
export const ticketOrigins: readonly TicketOrigin[] = [
	'phone',
	'email',
	'portal',
	'contract',
	'rule',
	'manual'
];
export const actionChannels: readonly ActionChannel[] = ['phone', 'email', 'portal', 'onsite', 'internal'];

export async function listServiceCenters(): Promise<ServiceCenterView[]> {
	return (await call(() => api['service-centers'].$get())).items;
}

/** A queue's tickets; without `serviceCenterId`, of every centre the user may see. */
export function listTickets(query: {
	view: TicketView;
	serviceCenterId?: string;
	page?: number;
	pageSize?: number;
}): Promise<TicketList> {
	return call(() =>
		api.tickets.$get({
			query: {
				view: query.view,
				...(query.serviceCenterId ? { serviceCenterId: query.serviceCenterId } : {}),
				page: String(query.page ?? 1),
				pageSize: String(query.pageSize ?? 100)
			}
		})
	);
}

export function countTickets(serviceCenterId?: string): Promise<TicketCounts> {
	return call(() => api.tickets.counts.$get({ query: serviceCenterId ? { serviceCenterId } : {} }));
}

export function getTicket(id: string): Promise<TicketDetail> {
	return call(() => api.tickets[':id'].$get({ param: { id } }));
}

/** What POST /api/tickets accepts (priority may be left to its default). */
export type NewTicketInput = Parameters<typeof api.tickets.$post>[0]['json'];

export function createTicket(input: NewTicketInput): Promise<TicketDetail> {
	return call(() => api.tickets.$post({ json: input }));
}

/** Applies an action reason; `version` is the one read (409 when someone acted first). */
export function performAction(id: string, action: TicketAction): Promise<TicketDetail> {
	return call(() => api.tickets[':id'].actions.$post({ param: { id }, json: action }));
}
