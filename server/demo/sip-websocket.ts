import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { parseSigned } from 'hono/utils/cookie';
import { WebSocketServer, type WebSocket } from 'ws';
import type { DatabaseHandle } from '../../db/client';
import type { Config } from '../config';
import type { DomainEventBus } from '../core/events';
import { actorOf, resolveSession, type ResolvedSession } from '../auth/auth.service';
import { can } from '../auth/policy';
import { SESSION_COOKIE } from '../http/session-middleware';
import { log } from '../core/log';
import type { DemoSwitchboard, SipConnection } from './switchboard';

export const sipWebSocketPath = '/sip';

/** ws://host/sip beside an http console, wss:// beside https. */
export function sipWebSocketUrl(publicOrigin: string): string {
	const url = new URL(sipWebSocketPath, publicOrigin);
	url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
	return url.toString();
}
/** A SIP message over WebSocket is a few kilobytes; an SDP with many candidates stays under 16. */
const maxMessageBytes = 64 * 1024;

interface SipWebSocketDeps {
	switchboard: DemoSwitchboard;
	config: Config;
	database: DatabaseHandle;
	events: DomainEventBus;
	sessionSecret: string;
}

/**
 * The demo switchboard's WebSocket (RFC 7118, subprotocol `sip`) on the console's own HTTP
 * server. Opened like Socket.IO: the console's Origin and a live session cookie, or 401/403
 * before any SIP is spoken. The session's end (sign-out, deactivation, expiry) closes it.
 */
export function attachSipWebSocket(httpServer: HttpServer, deps: SipWebSocketDeps) {
	const { switchboard, config } = deps;
	const wss = new WebSocketServer({
		noServer: true,
		maxPayload: maxMessageBytes,
		handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false)
	});
	const open = new Map<WebSocket, { userId: string; sessionHash: string }>();

	const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
		if (new URL(req.url ?? '/', 'http://console').pathname !== sipWebSocketPath) return;
		void authenticate(req)
			.then((session) => {
				if (!session.ok) return refuse(socket, session.status, session.reason);
				const protocols = String(req.headers['sec-websocket-protocol'] ?? '')
					.split(',')
					.map((p) => p.trim());
				if (!protocols.includes('sip')) return refuse(socket, 400, 'subprotocol sip required');
				wss.handleUpgrade(req, socket, head, (ws) => accept(ws, session.session));
			})
			.catch((error: unknown) => {
				log.error('sip websocket: upgrade failed', { error });
				refuse(socket, 503, 'unavailable');
			});
	};
	httpServer.on('upgrade', onUpgrade);

	async function authenticate(
		req: IncomingMessage
	): Promise<{ ok: true; session: ResolvedSession } | { ok: false; status: number; reason: string }> {
		// A cookie alone is not enough: another site's page could open the socket with it (CSWSH).
		if (req.headers.origin !== config.publicOrigin) {
			log.warn('sip websocket refused: foreign origin', { origin: req.headers.origin });
			return { ok: false, status: 403, reason: 'origin not allowed' };
		}
		const cookies = await parseSigned(req.headers.cookie ?? '', deps.sessionSecret, SESSION_COOKIE);
		const token = cookies[SESSION_COOKIE];
		const session = token ? await resolveSession(deps.database.db, token, config.session) : null;
		if (!session) return { ok: false, status: 401, reason: 'sign in first' };
		return { ok: true, session };
	}

	function accept(ws: WebSocket, session: ResolvedSession) {
		const actor = actorOf(session.user);
		const connection: SipConnection = {
			id: randomUUID(),
			user: {
				userId: session.user.id,
				extension: session.user.sipExtension,
				mayCallAsCustomer: can(actor, 'demo:call_as_customer')
			},
			send: (text) => {
				if (ws.readyState === ws.OPEN) ws.send(text);
			}
		};
		open.set(ws, { userId: session.user.id, sessionHash: session.sessionHash });
		const expiry = setTimeout(
			() => ws.close(4401, 'session expired'),
			Math.min(Math.max(0, session.expiresAt.getTime() - Date.now()), 2 ** 31 - 1)
		);
		ws.on('message', (data, binary) => {
			if (binary) return;
			switchboard.receive(connection, data.toString('utf8'));
		});
		ws.on('close', () => {
			clearTimeout(expiry);
			open.delete(ws);
			switchboard.disconnected(connection);
		});
		ws.on('error', (error) => log.debug('sip websocket error', { error }));
	}

	const closeWhere = (match: (owner: { userId: string; sessionHash: string }) => boolean) => {
		for (const [ws, owner] of open) if (match(owner)) ws.close(4401, 'session ended');
	};
	const stopListening = [
		deps.events.on('user.access_changed', (e) => closeWhere((o) => o.userId === e.userId)),
		deps.events.on('session.revoked', (e) => closeWhere((o) => o.sessionHash === e.sessionHash))
	];

	return {
		close() {
			httpServer.off('upgrade', onUpgrade);
			stopListening.forEach((stop) => stop());
			for (const ws of open.keys()) ws.terminate();
			wss.close();
		}
	};
}

function refuse(socket: Duplex, status: number, reason: string) {
	const text = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 503: 'Service Unavailable' }[
		status
	];
	socket.end(
		`HTTP/1.1 ${status} ${text ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`
	);
}
