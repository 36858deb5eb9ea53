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
			if (e.disabled) {
				io.to(rooms.user(e.userId)).emit('session:ended', { reason: 'disabled' });
				io.in(rooms.user(e.userId)).disconnectSockets(true);
			}
		}),
		events.on('session.revoked', (e) => {
			io.to(rooms.session(e.sessionHash)).emit('session:ended', { reason: 'logout' });
			io.in(rooms.session(e.sessionHash)).disconnectSockets(true);
		}),
		events.on('presence.changed', (e) => {
			io.to(rooms.presence).emit('presence:changed', {
				userId: e.userId,
				username: e.username,
				roles: e.roles,
				online: e.online,
				at: new Date().toISOString()
			});
		})
	];
	return () => offs.forEach((off) => off());
}
