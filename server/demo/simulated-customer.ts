import { randomUUID } from 'node:crypto';
import {
	EmitterImpl,
	Inviter,
	SessionState,
	TransportState,
	UserAgent,
	type Referral,
	type Session,
	type SessionDescriptionHandlerFactory,
	type Transport
} from 'sip.js';
import { log } from '../core/log';
import type { DemoSwitchboard, SipConnection } from './switchboard';

/**
 * sip.js's transport, in the process: messages go straight to the switchboard as if from a
 * WebSocket, and its answers come back asynchronously (never re-entrant).
 */
class InProcessTransport implements Transport {
	readonly protocol = 'WS';
	readonly stateChange = new EmitterImpl<TransportState>();
	onConnect: (() => void) | undefined;
	onDisconnect: ((error?: Error) => void) | undefined;
	onMessage: ((message: string) => void) | undefined;
	#state = TransportState.Disconnected;
	readonly #switchboard: DemoSwitchboard;
	readonly connection: SipConnection;

	constructor(_logger: unknown, options: { switchboard: DemoSwitchboard }) {
		this.#switchboard = options.switchboard;
		this.connection = {
			id: `customer-${randomUUID()}`,
			user: null,
			send: (text) => {
				setImmediate(() => {
					if (this.#state === TransportState.Connected) this.onMessage?.(text);
				});
			}
		};
	}

	get state(): TransportState {
		return this.#state;
	}

	async connect() {
		this.#set(TransportState.Connected);
		this.onConnect?.();
	}

	async disconnect() {
		if (this.#state === TransportState.Disconnected) return;
		this.#set(TransportState.Disconnected);
		this.#switchboard.disconnected(this.connection);
		this.onDisconnect?.();
	}

	async dispose() {
		await this.disconnect();
	}

	isConnected(): boolean {
		return this.#state === TransportState.Connected;
	}

	async send(message: string) {
		if (this.#state !== TransportState.Connected) throw new Error('transport closed');
		setImmediate(() => this.#switchboard.receive(this.connection, message));
	}

	#set(state: TransportState) {
		this.#state = state;
		this.stateChange.emit(state);
	}
}

export type LegOutcome = 'answered' | 'no_answer' | 'busy' | 'failed';

export interface CustomerIdentity {
	/** E.164, e.g. +390519279954: the caller ID the agent's card looks up. */
	number: string;
	displayName: string;
}

/**
 * A simulated customer on the demo switchboard: a sip.js user agent inside the server that calls
 * agents with its own number as P-Asserted-Identity, speaks through a server-side WebRTC peer
 * (the session description handler factory), follows transfers (REFER, with Replaces for an
 * attended one) and hangs up after a while, as a person would.
 */
export class SimulatedCustomer {
	readonly #ua: UserAgent;
	readonly #identity: CustomerIdentity;
	readonly #domain: string;
	/** The conversation now: the answered leg, or the call a transfer made. */
	#session: Session | null = null;
	#transferring: Session | null = null;
	readonly #talkMs: number;
	#hangUpTimer: ReturnType<typeof setTimeout> | null = null;
	#ended = false;
	#onEnded: (() => void) | null = null;
	readonly ended: Promise<void>;

	constructor(options: {
		switchboard: DemoSwitchboard;
		identity: CustomerIdentity;
		sessionDescriptionHandlerFactory: SessionDescriptionHandlerFactory;
		/** How long the customer talks before hanging up. */
		talkMs: number;
	}) {
		this.#identity = options.identity;
		this.#domain = options.switchboard.domain;
		this.ended = new Promise((resolve) => (this.#onEnded = resolve));
		const talkMs = options.talkMs;
		this.#ua = new UserAgent({
			uri: UserAgent.makeURI(`sip:${this.#identity.number}@${this.#domain}`),
			displayName: this.#identity.displayName,
			transportConstructor: InProcessTransport,
			transportOptions: { switchboard: options.switchboard },
			sessionDescriptionHandlerFactory: options.sessionDescriptionHandlerFactory,
			logBuiltinEnabled: false,
			logLevel: 'error',
			logConnector: (level, category, _label, content) => {
				if (level === 'error') log.debug('simulated customer sip.js', { category, content });
			},
			userAgentString: 'Fieldline demo customer',
			noAnswerTimeout: 120,
			delegate: {
				// Nobody calls a simulated customer.
				onInvite: (invitation) => void invitation.reject({ statusCode: 603 }).catch(() => undefined)
			}
		});
		this.#talkMs = talkMs;
	}

	async start() {
		await this.#ua.start();
	}

	/** The caller ID headers every INVITE of this customer carries. */
	get #identityHeaders(): string[] {
		const name = this.#identity.displayName.replace(/["\\]/g, '');
		return [`P-Asserted-Identity: "${name}" <sip:${this.#identity.number}@${this.#domain};user=phone>`];
	}

	/**
	 * Rings one extension until it answers, refuses, or `ringMs` passes (then cancels). Resolves
	 * with the outcome; an answered call goes on until someone hangs up (see `ended`).
	 */
	ring(extension: string, ringMs: number): Promise<LegOutcome> {
		const target = UserAgent.makeURI(`sip:${extension}@${this.#domain}`);
		if (!target || this.#ended) return Promise.resolve('failed');
		const inviter = new Inviter(this.#ua, target, { extraHeaders: this.#identityHeaders });
		return new Promise<LegOutcome>((resolve) => {
			let settled = false;
			const settle = (outcome: LegOutcome) => {
				if (settled) return;
				settled = true;
				clearTimeout(noAnswer);
				resolve(outcome);
			};
			const noAnswer = setTimeout(() => {
				if (inviter.state === SessionState.Establishing || inviter.state === SessionState.Initial)
					void inviter.cancel().catch(() => undefined);
				settle('no_answer');
			}, ringMs);
			inviter.stateChange.addListener((state) => {
				if (state === SessionState.Established) {
					settle('answered');
					this.#talking(inviter);
				} else if (state === SessionState.Terminated) {
					settle('failed');
					this.#sessionOver(inviter);
				}
			});
			this.#follow(inviter);
			inviter
				.invite({
					requestDelegate: {
						onReject: (response) => {
							const code = response.message.statusCode;
							settle(code === 486 || code === 600 || code === 603 ? 'busy' : 'failed');
						}
					}
				})
				.catch((error: unknown) => {
					log.debug('simulated customer: invite failed', { error });
					settle('failed');
				});
		});
	}

	/** Transfers: the agent's REFER is followed like a phone would, blind or attended (Replaces). */
	#follow(session: Session) {
		session.delegate = {
			onRefer: (referral: Referral) => void this.#transfer(session, referral)
		};
	}

	async #transfer(from: Session, referral: Referral) {
		try {
			await referral.accept();
			const inviter = referral.makeInviter({ extraHeaders: this.#identityHeaders });
			// The agent hangs up on us once the REFER is accepted: the call goes on in the new session.
			this.#transferring = inviter;
			this.#follow(inviter);
			inviter.stateChange.addListener((state) => {
				if (state === SessionState.Established) {
					this.#transferring = null;
					this.#notifyTransfer(from, 'SIP/2.0 200 OK');
					this.#talking(inviter);
				} else if (state === SessionState.Terminated) {
					if (this.#transferring === inviter) this.#transferring = null;
					this.#sessionOver(inviter);
				}
			});
			await inviter.invite({
				requestDelegate: {
					onReject: (response) =>
						this.#notifyTransfer(
							from,
							`SIP/2.0 ${response.message.statusCode} ${response.message.reasonPhrase}`
						)
				}
			});
		} catch (error) {
			this.#transferring = null;
			log.debug('simulated customer: transfer failed', { error });
		}
	}

	/** RFC 3515 progress: the transferor learns the transfer's outcome (sipfrag in a NOTIFY). */
	#notifyTransfer(session: Session, statusLine: string) {
		if (session.state !== SessionState.Established || !session.dialog) return;
		try {
			session.dialog.notify(undefined, {
				extraHeaders: ['Event: refer', 'Subscription-State: terminated;reason=noresource'],
				body: { contentDisposition: 'render', contentType: 'message/sipfrag', content: statusLine }
			});
		} catch (error) {
			log.debug('simulated customer: NOTIFY failed', { error });
		}
	}

	#talking(session: Session) {
		this.#session = session;
		if (this.#hangUpTimer) clearTimeout(this.#hangUpTimer);
		// The customer has said what they had to say and hangs up, unless the agent does first.
		this.#hangUpTimer = setTimeout(() => void this.hangUp(), this.#talkMs);
	}

	/**
	 * A session ended. The customer is done when it was the conversation and no transfer is under
	 * way, or when a transfer's new call failed (the transferor has already left).
	 */
	#sessionOver(session: Session) {
		if (this.#transferring) return;
		const wasTransfer = session !== this.#session && this.#session?.state === SessionState.Terminated;
		if (session === this.#session || wasTransfer) void this.finish();
	}

	async hangUp() {
		const session = this.#session;
		if (session?.state === SessionState.Established) await session.bye().catch(() => undefined);
		await this.finish();
	}

	/** Ends this customer: any session left, then the user agent. Safe to call more than once. */
	async finish() {
		if (this.#ended) return;
		this.#ended = true;
		if (this.#hangUpTimer) clearTimeout(this.#hangUpTimer);
		const session = this.#session;
		if (session?.state === SessionState.Established) await session.bye().catch(() => undefined);
		await this.#ua.stop().catch(() => undefined);
		this.#onEnded?.();
	}
}
