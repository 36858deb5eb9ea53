import { EventEmitter } from 'node:events';
import type { Role } from '../../db/schema/identity';
import type { TicketRow } from '../tickets/tickets.schemas';
import type { SlaAlert } from '../sla/sla.schemas';
import type { NotificationView } from '../notifications/notifications.schemas';
import type { AgentStateEntry, CallLogEntry } from '../calls/calls.schemas';

/**
 * Domain events: what happened, in the domain's words. Services raise them; the realtime
 * notifier (server/realtime/notifier.ts) alone decides which rooms hear them.
 */
export type DomainEvent =
	| { type: 'customer.updated'; customerId: string; version: number }
	| { type: 'user.updated'; userId: string; version: number }
	/**
	 * What the user may see or do changed (roles, team, password, disabled): sockets opened under
	 * the old rules must not go on hearing by them. `signedOut`: their sessions ended too, and why.
	 */
	| { type: 'user.access_changed'; userId: string; signedOut: 'disabled' | 'password' | null }
	| { type: 'session.revoked'; sessionHash: string }
	| {
			type: 'presence.changed';
			userId: string;
			username: string;
			roles: Role[];
			teamId: string | null;
			online: boolean;
	  }
	| { type: 'ticket.created'; ticket: TicketRow }
	| { type: 'ticket.changed'; ticket: TicketRow }
	| { type: 'ticket.sla_alert'; alert: SlaAlert }
	| { type: 'notification.created'; userId: string; notification: NotificationView; unread: number }
	| { type: 'notifications.read'; userId: string; ids: string[] | 'all'; unread: number }
	| { type: 'call.changed'; entry: CallLogEntry }
	| { type: 'agent.state_changed'; entry: AgentStateEntry }
	/** Group members changed: these users now see (joined) or no longer see (left) the centre's tickets. */
	| { type: 'service_center.audience_changed'; serviceCenterId: string; joined: string[]; left: string[] }
	| {
			type: 'message.changed';
			ticketId: string;
			serviceCenterId: string;
			messageId: string;
			status: 'queued' | 'sent' | 'failed';
	  };

export type DomainEventType = DomainEvent['type'];

export class DomainEventBus {
	readonly #emitter = new EventEmitter();

	publish(event: DomainEvent) {
		this.#emitter.emit(event.type, event);
		this.#emitter.emit('*', event);
	}

	on<T extends DomainEventType>(type: T, listener: (event: Extract<DomainEvent, { type: T }>) => void) {
		this.#emitter.on(type, listener as (e: DomainEvent) => void);
		return () => this.#emitter.off(type, listener as (e: DomainEvent) => void);
	}

	onAny(listener: (event: DomainEvent) => void) {
		this.#emitter.on('*', listener);
		return () => this.#emitter.off('*', listener);
	}
}
