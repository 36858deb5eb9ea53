import WebSocket from 'ws';
import {
	EmitterImpl,
	Registerer,
	RegistererState,
	TransportState,
	UserAgent,
	type Invitation,
	type SessionDescriptionHandlerFactory,
	type Transport
} from 'sip.js';

/**
 * An agent's softphone outside the browser, for API-level tests of the demo switchboard: sip.js
 * as in the console, over a `ws` WebSocket that carries the session cookie and Origin a browser
 * would send.
 */
class CookieWebSocketTransport implements Transport {
	readonly protocol = 'WSS';
	readonly stateChange = new EmitterImpl<TransportState>();
	onConnect: (() => void) | undefined;
	onDisconnect: ((error?: Error) => void) | undefined;
	onMessage: ((message: string) => void) | undefined;
	#state = TransportState.Disconnected;
	#ws: WebSocket | null = null;
	readonly #options: { url: string; headers: Record<string, string> };

	constructor(_logger: unknown, options: { url: string; headers: Record<string, string> }) {
		this.#options = options;
	}

	get state() {
		return this.#state;
	}

	connect(): Promise<void> {
		return new Promise((resolve, reject) => {
			const ws = new WebSocket(this.#options.url, 'sip', { headers: this.#options.headers });
			this.#ws = ws;
			ws.on('open', () => {
				this.#set(TransportState.Connected);
				this.onConnect?.();
				resolve();
			});
			ws.on('unexpected-response', (_req, res) => {
				ws.terminate();
				reject(new Error(`upgrade refused: ${res.statusCode}`));
			});
			ws.on('message', (data) => this.onMessage?.(data.toString('utf8')));
			ws.on('close', () => {
				if (this.#state === TransportState.Disconnected) return;
				this.#set(TransportState.Disconnected);
				this.onDisconnect?.();
			});
			ws.on('error', (error) => reject(error));
		});
	}

	async disconnect() {
		this.#set(TransportState.Disconnected);
		this.#ws?.close();
	}

	async dispose() {
		await this.disconnect();
	}

	isConnected() {
		return this.#state === TransportState.Connected;
	}

	async send(message: string) {
		this.#ws?.send(message);
	}

	#set(state: TransportState) {
		this.#state = state;
		this.stateChange.emit(state);
	}
}

export interface SipAgent {
	ua: UserAgent;
	/** Registers (resolves on 200 OK, rejects with the status of a refusal). */
	register(): Promise<void>;
	/** The next INVITE this agent receives. */
	nextInvite(timeoutMs?: number): Promise<Invitation>;
	stop(): Promise<void>;
}

export async function connectSipAgent(options: {
	origin: string;
	cookie: string;
	extension: string;
	/** Registers someone else's address on this session (the switchboard must refuse it). */
	as?: string;
	sessionDescriptionHandlerFactory?: SessionDescriptionHandlerFactory;
}): Promise<SipAgent> {
	const invites: Invitation[] = [];
	const waiting: Array<(invitation: Invitation) => void> = [];
	const ua = new UserAgent({
		uri: UserAgent.makeURI(`sip:${options.as ?? options.extension}@demo.invalid`),
		transportConstructor: CookieWebSocketTransport,
		transportOptions: {
			url: `${options.origin.replace(/^http/, 'ws')}/sip`,
			headers: { cookie: options.cookie, origin: options.origin }
		},
		sessionDescriptionHandlerFactory: options.sessionDescriptionHandlerFactory,
		logBuiltinEnabled: false,
		delegate: {
			onInvite: (invitation) => {
				const next = waiting.shift();
				if (next) next(invitation);
				else invites.push(invitation);
			}
		}
	});
	await ua.start();
	const registerer = new Registerer(ua, { expires: 300 });
	return {
		ua,
		register: () =>
			new Promise<void>((resolve, reject) => {
				registerer
					.register({
						requestDelegate: {
							onAccept: () => resolve(),
							onReject: (response) => reject(new Error(`REGISTER ${response.message.statusCode}`))
						}
					})
					.catch(reject);
				registerer.stateChange.addListener((state) => {
					if (state === RegistererState.Registered) resolve();
				});
			}),
		nextInvite: (timeoutMs = 10_000) =>
			new Promise<Invitation>((resolve, reject) => {
				const ready = invites.shift();
				if (ready) return resolve(ready);
				const timer = setTimeout(() => reject(new Error('no INVITE arrived')), timeoutMs);
				waiting.push((invitation) => {
					clearTimeout(timer);
					resolve(invitation);
				});
			}),
		stop: async () => {
			await ua.stop().catch(() => undefined);
		}
	};
}
