import type { ConsoleIo, RealtimeDeps } from './socket-server';
import { rooms } from './contract';

/**
 * The one place that turns domain events into Socket.IO emits. With the Redis adapter an
 * emit here reaches sockets on every server process.
 */
export function startNotifier(io: ConsoleIo, { events }: Pick<RealtimeDeps, 'events'>) {
	const offs = [
		events.on('customer.updated', (e) => {
			io.to([
				rooms.entity('customer', e.customerId),
				rooms.role('supervisor'),
				rooms.role('agent'),
				rooms.role('admin')
			]).emit('entity:changed', { entity: 'customer', id: e.customerId, version: e.version, op: 'updated' });
		}),
		events.on('user.updated', (e) => {
			io.to(rooms.role('admin')).emit('entity:changed', {
				entity: 'user',
				id: e.userId,
				version: e.version,
				op: 'updated'
			});
		}),
		events.on('user.access_changed', (e) => {
			// A socket's rooms and permissions are settled at its handshake, on whichever process
			// holds it: close them all (the adapter reaches every process); a reconnect is checked
			// against the user as they are now.
			if (e.signedOut) {
				const reason = e.signedOut === 'disabled' ? 'disabled' : 'logout';
				io.to(rooms.user(e.userId)).emit('session:ended', { reason });
			}
			io.in(rooms.user(e.userId)).disconnectSockets(true);
		}),
		events.on('session.revoked', (e) => {
			io.to(rooms.session(e.sessionHash)).emit('session:ended', { reason: 'logout' });
			io.in(rooms.session(e.sessionHash)).disconnectSockets(true);
		}),
		events.on('call.changed', ({ entry }) => {
			const targets = [rooms.role('supervisor'), rooms.role('admin')];
			if (entry.agent) targets.push(rooms.user(entry.agent.id));
			// Missed calls are everyone's to call back.
			if (entry.direction === 'inbound' && (entry.outcome === 'missed' || entry.outcome === 'abandoned'))
				targets.push(rooms.role('agent'));
			io.to(targets).emit('call:changed', {
				entity: 'call',
				id: entry.id,
				version: entry.version,
				op: 'updated',
				data: entry
			});
		}),
		events.on('agent.state_changed', ({ entry }) => {
			const watchers = entry.teamId
				? [rooms.agentStates, rooms.teamWatch(entry.teamId)]
				: [rooms.agentStates];
			io.to([...watchers, rooms.user(entry.userId)]).emit('agent:state', entry);
		}),
		events.on('ticket.created', ({ ticket }) => {
			io.to(rooms.serviceCenter(ticket.serviceCenterId)).emit('ticket:changed', {
				entity: 'ticket',
				id: ticket.id,
				version: ticket.version,
				op: 'created',
				data: ticket
			});
		}),
		events.on('ticket.changed', ({ ticket }) => {
			io.to(rooms.serviceCenter(ticket.serviceCenterId)).emit('ticket:changed', {
				entity: 'ticket',
				id: ticket.id,
				version: ticket.version,
				op: 'updated',
				data: ticket
			});
		}),
		events.on('message.changed', (e) => {
			io.to(rooms.serviceCenter(e.serviceCenterId)).emit('ticket:message', {
				ticketId: e.ticketId,
				messageId: e.messageId,
				status: e.status
			});
		}),
		events.on('service_center.audience_changed', (e) => {
			// Rooms are settled at the handshake; membership changes move the open sockets of
			// every process (through the adapter) without a reconnection.
			const room = rooms.serviceCenter(e.serviceCenterId);
			for (const userId of e.joined) io.in(rooms.user(userId)).socketsJoin(room);
			for (const userId of e.left) io.in(rooms.user(userId)).socketsLeave(room);
		}),
		events.on('ticket.sla_alert', ({ alert }) => {
			io.to(rooms.serviceCenter(alert.serviceCenterId)).emit('ticket:sla', alert);
		}),
		events.on('notification.created', (e) => {
			io.to(rooms.user(e.userId)).emit('notification:new', {
				notification: e.notification,
				unread: e.unread
			});
		}),
		events.on('notifications.read', (e) => {
			io.to(rooms.user(e.userId)).emit('notification:read', { ids: e.ids, unread: e.unread });
		}),
		events.on('presence.changed', (e) => {
			io.to(e.teamId ? [rooms.presence, rooms.teamWatch(e.teamId)] : rooms.presence).emit(
				'presence:changed',
				{
					userId: e.userId,
					username: e.username,
					roles: e.roles,
					teamId: e.teamId,
					online: e.online,
					at: new Date().toISOString()
				}
			);
		})
	];
	return () => offs.forEach((off) => off());
}
