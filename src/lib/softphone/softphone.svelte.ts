import {
	Invitation,
	Inviter,
	Registerer,
	RegistererState,
	SessionState,
	SIPExtension,
	UserAgent,
	type Referral,
	type Session,
	type SessionDescriptionHandlerOptions
} from 'sip.js';
import type { SessionDescriptionHandler } from 'sip.js/lib/platform/web';
import type { SoftphoneLine } from '$server/softphone/softphone.schemas';
import type { CallReportInput } from '$server/calls/calls.schemas';
import { AudioDevices } from './audio-devices.svelte';
import { answerAfter, callerIdentity, type Verstat } from './caller-identity';
import { Headset, type HeadsetSupport } from './headset';
import { reconnectDelay } from './reconnect';
import { Ringtone } from './ringtone';
import { TabCoordinator, type TabMessage } from './tab-coordinator';

export type { SoftphoneLine };

/** What the agent sees of the line: always shown in the top bar. */
export type Registration =
	| 'idle'
	| 'no_extension'
	| 'unavailable'
	| 'connecting'
	| 'registered'
	| 'reconnecting'
	| 'failed'
	| 'offline';

export type CallPhase = 'ringing' | 'dialing' | 'active' | 'held' | 'ended';
export type CallMatch = NonNullable<CallReportInput['matched']>;
export type CallReport = CallReportInput;

const settingsKey = 'fieldline.softphone.settings';

/** One call on the phone: inbound or outbound, live in the UI. */
export class PhoneCall {
	readonly id = crypto.randomUUID();
	readonly sipCallId: string;
	readonly direction: 'inbound' | 'outbound';
	readonly number: string;
	readonly displayName: string | null;
	readonly identitySource: 'pai' | 'rpid' | 'from' | 'dialled' | 'transfer';
	readonly verstat: Verstat | null;
	readonly startedAt = Date.now();
	/** Another tab of this agent rings for it: this one stays quiet. */
	readonly silent: boolean;
	readonly autoAnswerAfter: number | null;
	/** Who passed this call on to us: the transferor (REFER) or the party it replaces (Replaces). */
	readonly transferredBy: string | null;
	phase = $state<CallPhase>('ringing');
	answeredAt = $state<number | null>(null);
	endedAt = $state<number | null>(null);
	muted = $state(false);
	/** REFER accepted for an attended transfer: waiting for the target to take the caller. */
	transferring = $state(false);
	/** Set when the agent picks the caller on the landing card; sent with the next reports. */
	matched = $state<CallMatch | null>(null);
	/** Why it ended, for the UI: answered elsewhere, cancelled by the caller, rejected... */
	endReason = $state<string | null>(null);
	readonly session: Session;

	constructor(init: {
		session: Session;
		sipCallId: string;
		direction: 'inbound' | 'outbound';
		number: string;
		displayName: string | null;
		identitySource: PhoneCall['identitySource'];
		verstat: Verstat | null;
		silent: boolean;
		autoAnswerAfter: number | null;
		transferredBy?: string | null;
	}) {
		this.session = init.session;
		this.sipCallId = init.sipCallId;
		this.direction = init.direction;
		this.number = init.number;
		this.displayName = init.displayName;
		this.identitySource = init.identitySource;
		this.verstat = init.verstat;
		this.silent = init.silent;
		this.autoAnswerAfter = init.autoAnswerAfter;
		this.transferredBy = init.transferredBy ?? null;
		this.phase = init.direction === 'inbound' ? 'ringing' : 'dialing';
	}

	get live(): boolean {
		return this.phase !== 'ended';
	}
}

export interface SoftphoneHooks {
	/** Sends a call event to the server (it keeps the log). */
	report?: (report: CallReport) => void;
	/** An INVITE arrived: start the screen pop now, while it rings. */
	incoming?: (call: PhoneCall) => void;
	/** The line came up or went away (agent state follows). */
	registration?: (registration: Registration) => void;
}

/**
 * The agent's phone: sip.js UserAgent + Registerer in the browser. Registers on start, keeps the
 * registration through WebSocket drops and offline periods (backoff with jitter), rings in one
 * tab only, and drives calls: answer, reject, hang up, hold, mute, DTMF, blind and attended
 * transfer, outbound calls. Every call event is reported to the server.
 */
export class Softphone {
	#registration = $state<Registration>('idle');
	#current = $state<PhoneCall | null>(null);
	#consult = $state<PhoneCall | null>(null);
	#lastError = $state<string | null>(null);
	#now = $state(Date.now());
	#autoAnswer = $state(false);
	#headsetState = $state<HeadsetSupport>(Headset.supported ? 'available' : 'unsupported');
	#headsetName = $state<string | null>(null);
	#leader = $state(true);
	#extension = $state<string | null>(null);
	#demo = $state(false);
	#reconnectAt = $state<number | null>(null);

	readonly devices = new AudioDevices();
	readonly #ringtone = new Ringtone();
	readonly #headset = new Headset();
	#tabs = new TabCoordinator('');
	#config: SoftphoneLine | null = null;
	#ua: UserAgent | null = null;
	#registerer: Registerer | null = null;
	#hooks: SoftphoneHooks = {};
	#attempt = 0;
	#reconnectTimer: ReturnType<typeof setTimeout> | null = null;
	#ticker: ReturnType<typeof setInterval> | null = null;
	#levelTimer: ReturnType<typeof setInterval> | null = null;
	#levels = $state({ heard: 0, spoken: 0 });
	#stopping = false;
	#audio: HTMLAudioElement | null = null;
	#notification: Notification | null = null;
	#cleanups: Array<() => void> = [];

	constructor() {
		try {
			this.#autoAnswer = JSON.parse(localStorage.getItem(settingsKey) ?? '{}').autoAnswer === true;
		} catch {
			this.#autoAnswer = false;
		}
	}

	/** One Contact instance per tab, kept across reloads of the tab: PBXs must not merge tabs. */
	get #instance(): string {
		let instance = sessionStorage.getItem('fieldline.softphone.instance');
		if (!instance) {
			instance = crypto.randomUUID();
			sessionStorage.setItem('fieldline.softphone.instance', instance);
		}
		return instance;
	}

	get registration(): Registration {
		return this.#registration;
	}
	get registered(): boolean {
		return this.#registration === 'registered';
	}
	/** The line is the console's demo switchboard: test calls can be asked for. */
	get demo(): boolean {
		return this.#demo;
	}
	get extension(): string | null {
		return this.#extension;
	}
	get current(): PhoneCall | null {
		return this.#current;
	}
	get consult(): PhoneCall | null {
		return this.#consult;
	}
	get lastError(): string | null {
		return this.#lastError;
	}
	/** Audio levels of the call in progress, 0..1: the caller's voice and the microphone. */
	get levels(): { heard: number; spoken: number } {
		return this.#levels;
	}
	/** Ticks every second while a call is up: the call timer reads it. */
	get now(): number {
		return this.#now;
	}
	get autoAnswer(): boolean {
		return this.#autoAnswer;
	}
	get headset(): { state: HeadsetSupport; name: string | null } {
		return { state: this.#headsetState, name: this.#headsetName };
	}
	/** This tab rings (another tab of the same agent may be the one that does). */
	get ringsHere(): boolean {
		return this.#leader;
	}
	/** When the next reconnection attempt happens (epoch ms), while reconnecting. */
	get reconnectAt(): number | null {
		return this.#reconnectAt;
	}
	get tabInstance(): string {
		return this.#tabs.tabId;
	}

	/** Seconds of talk on a call (held time included), for the timer. */
	elapsed(call: PhoneCall): number {
		const from = call.answeredAt ?? call.startedAt;
		return Math.max(0, Math.floor(((call.endedAt ?? this.#now) - from) / 1000));
	}

	setAutoAnswer(on: boolean) {
		this.#autoAnswer = on;
		try {
			localStorage.setItem(settingsKey, JSON.stringify({ autoAnswer: on }));
		} catch {
			// Kept for this page only.
		}
	}

	/** Registers with the PBX. `config` null: the agent has no extension or no PBX is configured. */
	async start(
		config: SoftphoneLine | null,
		userId: string,
		hooks: SoftphoneHooks,
		unavailable?: Registration
	) {
		await this.stop();
		this.#stopping = false;
		this.#hooks = hooks;
		if (!config) {
			this.#setRegistration(unavailable ?? 'no_extension');
			return;
		}
		this.#config = config;
		this.#extension = config.extension;
		this.#demo = config.demo;
		this.#tabs = new TabCoordinator(this.#instance);
		// Silent until the coordinator says this tab holds the agent's lock (at once when it is free).
		this.#leader = false;
		this.#tabs.start(userId, {
			onMessage: (message) => this.#onTabMessage(message),
			onLeadership: (leader) => (this.#leader = leader)
		});
		const onOnline = () => {
			this.#attempt = 0;
			void this.#reconnect();
		};
		const onOffline = () => this.#setRegistration('offline');
		window.addEventListener('online', onOnline);
		window.addEventListener('offline', onOffline);
		const unwatch = this.devices.watch();
		this.#cleanups.push(() => {
			window.removeEventListener('online', onOnline);
			window.removeEventListener('offline', onOffline);
			unwatch();
		});
		this.#headset.onAction((action) => {
			const call = this.#current;
			// A call ringing silently here rings in another tab of the agent: that tab answers it.
			if (action === 'answer' && call?.phase === 'ringing' && !call.silent) void this.answer();
			else if (action === 'hangup' && call?.live) void this.hangUp().catch(() => undefined);
			else if (action === 'mute' && call?.live) this.toggleMute();
			else return false;
			return true;
		});
		// A headset granted earlier reconnects without asking.
		void this.#headset
			.connect(false)
			.then((ok) => ok && this.#headsetConnected())
			.catch(() => undefined);

		this.#ua = new UserAgent({
			uri: UserAgent.makeURI(config.uri),
			displayName: config.displayName,
			authorizationUsername: config.authorizationUsername,
			authorizationPassword: config.authorizationPassword,
			transportOptions: { server: config.wsUrl, connectionTimeout: 5, keepAliveInterval: 20 },
			instanceId: this.#tabs.tabId,
			instanceIdAlwaysAdded: true,
			// The target of an attended transfer gets an INVITE with Replaces for the consult call.
			sipExtensionReplaces: SIPExtension.Supported,
			// We reconnect ourselves, with backoff and jitter, and re-register.
			reconnectionAttempts: 0,
			sessionDescriptionHandlerFactoryOptions: {
				// Never the public STUN server sip.js asks by default: only what the PBX admin configured.
				peerConnectionConfiguration: { iceServers: config.iceServers }
			},
			logLevel: 'error',
			userAgentString: 'Fieldline console',
			delegate: {
				onConnect: () => void this.#onConnected(),
				onDisconnect: (error) => this.#onDisconnected(error),
				onInvite: (invitation) => this.#onInvite(invitation)
			}
		});
		this.#registerer = new Registerer(this.#ua, { expires: 300 });
		this.#registerer.stateChange.addListener((state) => {
			if (state === RegistererState.Registered) {
				this.#attempt = 0;
				this.#lastError = null;
				this.#setRegistration('registered');
			} else if (
				state === RegistererState.Unregistered &&
				!this.#stopping &&
				this.#registration === 'registered'
			) {
				this.#setRegistration('connecting');
			}
		});
		this.#setRegistration('connecting');
		try {
			await this.#ua.start();
		} catch (error) {
			this.#lastError = error instanceof Error ? error.message : String(error);
			this.#scheduleReconnect();
		}
	}

	/** Unregisters and closes the line (sign-out, page leave). */
	async stop() {
		this.#stopping = true;
		if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
		this.#reconnectTimer = null;
		this.#reconnectAt = null;
		this.#ringtone.stop();
		for (const call of [this.#consult, this.#current])
			if (call?.live) await this.#terminate(call).catch(() => undefined);
		await this.#registerer?.unregister().catch(() => undefined);
		await this.#ua?.stop().catch(() => undefined);
		this.#ua = null;
		this.#registerer = null;
		this.#tabs.stop();
		this.#cleanups.forEach((cleanup) => cleanup());
		this.#cleanups = [];
		this.#stopTicker();
		if (this.#registration !== 'idle') this.#setRegistration('idle');
	}

	async #onConnected() {
		if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
		this.#reconnectTimer = null;
		this.#reconnectAt = null;
		try {
			await this.#registerer?.register({
				requestDelegate: {
					// The Registerer may still think it is registered after a drop (no state change
					// then): the 200 OK itself says the line is back.
					onAccept: () => {
						this.#attempt = 0;
						this.#lastError = null;
						this.#setRegistration('registered');
					},
					onReject: (response) => {
						const code = response.message.statusCode;
						this.#lastError = `${code} ${response.message.reasonPhrase}`;
						// Wrong credentials will not get better by retrying fast.
						this.#setRegistration(code === 401 || code === 403 || code === 407 ? 'failed' : 'reconnecting');
						if (code !== 401 && code !== 403 && code !== 407) this.#scheduleReconnect();
					}
				}
			});
		} catch (error) {
			this.#lastError = error instanceof Error ? error.message : String(error);
			this.#scheduleReconnect();
			return;
		}
		// Calls that survived the drop renegotiate ICE over the new connection.
		for (const call of [this.#current, this.#consult]) {
			if (call && (call.phase === 'active' || call.phase === 'held'))
				void this.#reinvite(call, call.phase === 'held', true);
		}
	}

	#onDisconnected(error?: Error) {
		if (this.#stopping) return;
		if (error) this.#lastError = error.message;
		this.#scheduleReconnect();
	}

	#scheduleReconnect() {
		if (this.#stopping || this.#reconnectTimer) return;
		// Keep trying even when the browser says it is offline: navigator.onLine is false on a
		// machine whose only network is the LAN to the PBX. The 'online' event just retries sooner.
		if (this.#registration !== 'offline') this.#setRegistration('reconnecting');
		const delay = reconnectDelay(this.#attempt++);
		this.#reconnectAt = Date.now() + delay;
		this.#reconnectTimer = setTimeout(() => {
			this.#reconnectTimer = null;
			void this.#reconnect();
		}, delay);
	}

	async #reconnect() {
		const ua = this.#ua;
		if (!ua || this.#stopping) return;
		if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
		this.#reconnectTimer = null;
		this.#reconnectAt = null;
		if (ua.isConnected()) {
			await this.#onConnected();
			return;
		}
		this.#setRegistration('reconnecting');
		try {
			await ua.reconnect();
		} catch (error) {
			this.#lastError = error instanceof Error ? error.message : String(error);
			this.#scheduleReconnect();
		}
	}

	#setRegistration(registration: Registration) {
		if (this.#registration === registration) return;
		this.#registration = registration;
		this.#hooks.registration?.(registration);
	}

	// ------------------------------------------------------------------------------------------
	// Inbound

	#onInvite(invitation: Invitation) {
		const request = invitation.request;
		if (invitation.replacee) {
			this.#onReplaces(invitation);
			return;
		}
		// One call at a time (plus the consult leg of a transfer): a second caller hears busy.
		if (this.#current?.live) {
			void invitation.reject({ statusCode: 486 }).catch(() => undefined);
			return;
		}
		const call = this.#inboundCall(invitation, {
			silent: !this.#leader,
			autoAnswerAfter: answerAfter(request.getHeaders('Call-Info'))
		});
		this.#current = call;
		this.#hooks.incoming?.(call);
		if (!call.silent) {
			void this.#ringtone.start((element) => this.devices.route(element, 'ringer'));
			void this.#headset.setLeds({ ring: true });
			this.#notify(call);
			this.#report(call, 'ringing');
		}
		invitation.delegate = {
			onCancel: () => {
				call.endReason = 'cancelled';
			},
			onRefer: (referral) => this.#onRefer(call, referral)
		};
		invitation.stateChange.addListener((state) => this.#onSessionState(call, state));
		if (call.autoAnswerAfter !== null && this.#autoAnswer && !call.silent) {
			setTimeout(() => {
				if (this.#current === call && call.phase === 'ringing') void this.answer();
			}, call.autoAnswerAfter * 1000);
		}
	}

	/** An incoming call, identified as the caller's headers say (P-Asserted-Identity first). */
	#inboundCall(
		invitation: Invitation,
		options: { silent: boolean; autoAnswerAfter: number | null; transferredBy?: string }
	): PhoneCall {
		const request = invitation.request;
		const identity = callerIdentity({
			pai: request.getHeaders('P-Asserted-Identity'),
			rpid: request.getHeaders('Remote-Party-ID'),
			from: request.getHeader('From') ?? ''
		});
		return new PhoneCall({
			session: invitation,
			sipCallId: request.callId,
			direction: 'inbound',
			number: identity.number,
			displayName: identity.displayName,
			identitySource: identity.source,
			verstat: identity.verstat,
			...options
		});
	}

	/**
	 * Attended transfer, target side: the transferee's INVITE carries Replaces for our call with
	 * the transferor. It is answered at once, without ringing; sip.js then hangs up the replaced call.
	 */
	#onReplaces(invitation: Invitation) {
		const replaced = [this.#current, this.#consult].find(
			(call): call is PhoneCall =>
				call !== null &&
				call.session === invitation.replacee &&
				(call.phase === 'active' || call.phase === 'held')
		);
		if (!replaced) {
			void invitation.reject({ statusCode: 481 }).catch(() => undefined);
			return;
		}
		const call = this.#inboundCall(invitation, {
			silent: false,
			autoAnswerAfter: null,
			transferredBy: replaced.number
		});
		if (replaced === this.#consult) this.#consult = call;
		else this.#current = call;
		invitation.delegate = { onRefer: (referral) => this.#onRefer(call, referral) };
		invitation.stateChange.addListener((state) => this.#onSessionState(call, state));
		// The landing card switches to the caller the agent now talks to.
		this.#hooks.incoming?.(call);
		invitation
			.accept({ sessionDescriptionHandlerOptions: this.#mediaOptions() })
			.catch((error: unknown) => (this.#lastError = error instanceof Error ? error.message : String(error)));
	}

	#notify(call: PhoneCall) {
		if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
		if (document.visibilityState !== 'hidden') return;
		try {
			this.#notification = new Notification(call.displayName ?? call.number, {
				body: call.displayName ? call.number : '',
				tag: call.sipCallId,
				requireInteraction: true
			});
			this.#notification.onclick = () => {
				window.focus();
				this.#notification?.close();
			};
		} catch {
			// Notifications from a page are not allowed everywhere (e.g. Android Chrome).
		}
	}

	/** Asks for notification permission (call from a click). */
	async enableNotifications(): Promise<NotificationPermission | 'unsupported'> {
		if (typeof Notification === 'undefined') return 'unsupported';
		return Notification.requestPermission();
	}

	async answer() {
		const call = this.#current;
		if (!call || call.phase !== 'ringing' || !(call.session instanceof Invitation)) return;
		// Off hook at once, so a headset whose hook switch answered sees it confirmed.
		void this.#headset.setLeds({ offHook: true, ring: false });
		this.#stopRinging();
		this.#tabs.post({ type: 'answered', sipCallId: call.sipCallId, tabId: this.#tabs.tabId });
		try {
			await call.session.accept({ sessionDescriptionHandlerOptions: this.#mediaOptions() });
		} catch (error) {
			this.#lastError = error instanceof Error ? error.message : String(error);
		}
	}

	async reject() {
		const call = this.#current;
		if (!call || call.phase !== 'ringing' || !(call.session instanceof Invitation)) return;
		this.#stopRinging();
		call.endReason = 'rejected';
		this.#tabs.post({ type: 'rejected', sipCallId: call.sipCallId, tabId: this.#tabs.tabId });
		await call.session.reject({ statusCode: 486 }).catch(() => undefined);
	}

	#onTabMessage(message: TabMessage) {
		const call = this.#current;
		if (
			message.type === 'take-over' ||
			!call ||
			call.sipCallId !== message.sipCallId ||
			call.phase !== 'ringing'
		)
			return;
		// The ringing tab decided: this tab's branch of the fork steps aside.
		call.endReason = message.type === 'answered' ? 'answered_elsewhere' : 'rejected';
		if (call.session instanceof Invitation)
			void call.session.reject({ statusCode: 486 }).catch(() => undefined);
	}

	// ------------------------------------------------------------------------------------------
	// Outbound

	/** Calls a number or an extension. Returns false when the line is not ready or busy. */
	async dial(number: string): Promise<boolean> {
		const target = number.replace(/[\s\-./()]/g, '');
		if (!this.#ua || !this.#config || !this.registered || !/^\+?[0-9*#]{2,20}$/.test(target)) return false;
		if (this.#current?.live) return false;
		const call = this.#invite(target);
		if (!call) return false;
		this.#current = call;
		return true;
	}

	#invite(target: string): PhoneCall | null {
		const ua = this.#ua;
		const config = this.#config;
		if (!ua || !config) return null;
		const uri = UserAgent.makeURI(`sip:${target}@${config.domain}`);
		if (!uri) return null;
		return this.#call(
			new Inviter(ua, uri, { sessionDescriptionHandlerOptions: this.#mediaOptions() }),
			target
		);
	}

	/** Sends the INVITE of an outbound call (dialled, or asked for by a transferor) and follows it. */
	#call(inviter: Inviter, number: string, transferredBy: string | null = null): PhoneCall {
		const call = new PhoneCall({
			session: inviter,
			sipCallId: inviter.request.callId,
			direction: 'outbound',
			number,
			displayName: null,
			identitySource: transferredBy ? 'transfer' : 'dialled',
			verstat: null,
			silent: false,
			autoAnswerAfter: null,
			transferredBy
		});
		inviter.delegate = { onRefer: (referral) => this.#onRefer(call, referral) };
		inviter.stateChange.addListener((state) => this.#onSessionState(call, state));
		this.#report(call, 'offered');
		this.#startTicker();
		inviter
			.invite({
				requestDelegate: {
					// A call that gets through says the line is up, even if the Registerer missed it.
					onAccept: () => {
						this.#attempt = 0;
						this.#lastError = null;
						this.#setRegistration('registered');
					},
					onReject: (response) => {
						call.endReason = `${response.message.statusCode}`;
					}
				}
			})
			.catch((error: unknown) => {
				this.#lastError = error instanceof Error ? error.message : String(error);
				call.phase = 'ended';
				call.endedAt = Date.now();
				this.#report(call, 'ended');
			});
		return call;
	}

	/**
	 * We are the transferee: the other party passes us on (REFER). We call the target ourselves;
	 * the transferor hangs up our call with them, or we do once the target answered.
	 */
	#onRefer(call: PhoneCall, referral: Referral) {
		if (call !== this.#current || this.#consult?.live || (call.phase !== 'active' && call.phase !== 'held')) {
			void referral.reject({ statusCode: 603 }).catch(() => undefined);
			return;
		}
		void referral.accept().then(() => {
			// Attended transfer: Refer-To is the target's own contact, named by the target's address
			// ("1003@pbx.example.com") or display name; blind: the address we are to call.
			const referTo = referral.referTo;
			// (sip.js leaves displayName undefined for a bare URI, whatever its type says.)
			const name = (referTo.displayName as string | undefined) ?? '';
			const number = name.replace(/@.*$/, '') || referTo.uri.user || referTo.uri.toString();
			const next = this.#call(
				referral.makeInviter({ sessionDescriptionHandlerOptions: this.#mediaOptions() }),
				number,
				call.number
			);
			this.#current = next;
			next.session.stateChange.addListener((state) => {
				if (state === SessionState.Established && call.session.state === SessionState.Established)
					void call.session.bye().catch(() => undefined);
			});
		});
	}

	// ------------------------------------------------------------------------------------------
	// In call

	#onSessionState(call: PhoneCall, state: SessionState) {
		if (state === SessionState.Established) {
			call.phase = 'active';
			call.answeredAt = Date.now();
			this.#stopRinging();
			this.#attachAudio(call);
			this.#startTicker();
			void this.#headset.setLeds({ offHook: true, ring: false });
			this.#report(call, 'answered');
		} else if (state === SessionState.Terminated) {
			const wasAnswered = call.answeredAt !== null;
			call.phase = 'ended';
			call.endedAt = Date.now();
			if (call === this.#current) this.#stopRinging();
			if (!call.silent) {
				// A transfer was reported when it happened ('transferred'); the call still ends.
				if (wasAnswered) this.#report(call, 'ended');
				else if (call.direction === 'inbound')
					this.#report(call, call.endReason === 'rejected' ? 'rejected' : 'missed');
				else this.#report(call, call.endReason && /^[3-6]\d\d$/.test(call.endReason) ? 'rejected' : 'ended');
			}
			if (call === this.#consult) {
				this.#consult = null;
				const original = this.#current;
				// The target hung up the consult call for the caller's INVITE with Replaces: done.
				if (original?.transferring) this.#attendedTransferDone(original, call);
				// Back to the caller who was waiting on hold.
				else if (original?.phase === 'held') void this.toggleHold();
			}
			if (!this.#current?.live && !this.#consult?.live) {
				this.#stopTicker();
				void this.#headset.setLeds({ offHook: false, ring: false, mute: false });
			}
		}
	}

	#stopRinging() {
		this.#ringtone.stop();
		this.#notification?.close();
		this.#notification = null;
		void this.#headset.setLeds({ ring: false });
	}

	#mediaOptions(): SessionDescriptionHandlerOptions {
		return { constraints: { audio: this.devices.audioConstraints, video: false } };
	}

	#attachAudio(call: PhoneCall) {
		const sdh = call.session.sessionDescriptionHandler as SessionDescriptionHandler | undefined;
		if (!sdh) return;
		if (!this.#audio) {
			this.#audio = document.createElement('audio');
			this.#audio.autoplay = true;
		}
		this.#audio.srcObject = sdh.remoteMediaStream;
		void this.devices.route(this.#audio, 'speaker');
		void this.#audio.play().catch(() => undefined);
	}

	/** Hangs up the call in front of the agent (the consult leg first, during a transfer). */
	async hangUp() {
		const call = this.#consult?.live ? this.#consult : this.#current;
		if (!call?.live) return;
		await this.#terminate(call);
	}

	async #terminate(call: PhoneCall) {
		const session = call.session;
		if (session.state === SessionState.Established) await session.bye();
		else if (session instanceof Inviter && session.state !== SessionState.Terminated) await session.cancel();
		else if (session instanceof Invitation && session.state === SessionState.Initial) await this.reject();
	}

	async toggleHold() {
		const call = this.#current;
		if (!call || (call.phase !== 'active' && call.phase !== 'held')) return;
		const hold = call.phase === 'active';
		if (await this.#reinvite(call, hold, false)) {
			call.phase = hold ? 'held' : 'active';
			this.#report(call, hold ? 'held' : 'resumed');
		}
	}

	/** A re-INVITE: hold or resume, and/or an ICE restart after the transport came back. */
	#reinvite(call: PhoneCall, hold: boolean, iceRestart: boolean): Promise<boolean> {
		call.session.sessionDescriptionHandlerOptionsReInvite = {
			hold,
			...(iceRestart ? { offerOptions: { iceRestart: true } } : {})
		} as SessionDescriptionHandlerOptions;
		return new Promise((resolve) => {
			call.session
				.invite({ requestDelegate: { onAccept: () => resolve(true), onReject: () => resolve(false) } })
				.catch(() => resolve(false));
		});
	}

	toggleMute() {
		const call = this.#consult?.live ? this.#consult : this.#current;
		const sdh = call?.session.sessionDescriptionHandler as SessionDescriptionHandler | undefined;
		if (!call || !sdh?.peerConnection) return;
		call.muted = !call.muted;
		for (const sender of sdh.peerConnection.getSenders())
			if (sender.track) sender.track.enabled = !call.muted;
		void this.#headset.setLeds({ mute: call.muted });
	}

	/** DTMF: RFC 4733 in the media; SIP INFO where the connection cannot. */
	sendDtmf(tone: string) {
		const call = this.#consult?.live ? this.#consult : this.#current;
		if (!call || call.phase !== 'active' || !/^[0-9*#A-D]$/.test(tone)) return;
		const sdh = call.session.sessionDescriptionHandler as SessionDescriptionHandler | undefined;
		// insertDTMF() replaces the tones still waiting to play: keys pressed faster than a tone lasts
		// (100 ms and a 70 ms gap) were lost. The new key joins the queue instead.
		const waiting = sdh?.peerConnection?.getSenders()[0]?.dtmf?.toneBuffer ?? '';
		if (sdh?.sendDtmf(waiting + tone)) return;
		void call.session
			.info({
				requestOptions: {
					body: {
						contentDisposition: 'render',
						contentType: 'application/dtmf-relay',
						content: `Signal=${tone}\r\nDuration=160`
					}
				}
			})
			.catch(() => undefined);
	}

	/** Blind transfer: REFER the caller to a number or extension, then leave. */
	async blindTransfer(target: string): Promise<boolean> {
		const call = this.#current;
		const number = target.replace(/\s/g, '');
		const uri = this.#config ? UserAgent.makeURI(`sip:${number}@${this.#config.domain}`) : undefined;
		if (!call || !uri || (call.phase !== 'active' && call.phase !== 'held')) return false;
		const accepted = await this.#refer(call, uri);
		if (accepted) {
			this.#transferred(call, number);
			await call.session.bye().catch(() => undefined);
		}
		return accepted;
	}

	/** Attended transfer, step 1: the caller waits on hold while the agent consults the target. */
	async startConsult(target: string): Promise<boolean> {
		const call = this.#current;
		if (!call || this.#consult?.live || (call.phase !== 'active' && call.phase !== 'held')) return false;
		if (call.phase === 'active') await this.toggleHold();
		const consult = this.#invite(target.replace(/\s/g, ''));
		this.#consult = consult;
		return consult !== null;
	}

	/**
	 * Attended transfer, step 2: REFER with Replaces asks the caller to call the target in place of
	 * our consult call. We leave once the target has the caller: the NOTIFY says 200, or the target
	 * hangs up the consult call it replaced (whichever first; after 8 s without either, anyway).
	 */
	async completeTransfer(): Promise<boolean> {
		const call = this.#current;
		const consult = this.#consult;
		if (!call || !consult || consult.phase !== 'active') return false;
		const accepted = await this.#refer(call, consult.session, (status) => {
			if (status >= 200 && status < 300) this.#attendedTransferDone(call, consult);
			else if (status >= 300) call.transferring = false;
		});
		if (!accepted) return false;
		call.transferring = true;
		setTimeout(() => {
			if (call.transferring) this.#attendedTransferDone(call, consult);
		}, 8000);
		return true;
	}

	#attendedTransferDone(call: PhoneCall, consult: PhoneCall) {
		if (call.endReason === 'transferred') return;
		call.transferring = false;
		this.#transferred(call, consult.number);
		if (call.session.state === SessionState.Established) void call.session.bye().catch(() => undefined);
		// The target hangs up the consult call it replaced; should it not, we do.
		setTimeout(() => {
			if (consult.session.state === SessionState.Established)
				void consult.session.bye().catch(() => undefined);
		}, 3000);
	}

	#transferred(call: PhoneCall, target: string) {
		call.endReason = 'transferred';
		this.#report(call, 'transferred', target);
	}

	/** Sends REFER; `progress` hears the status codes of the transferee's call to the target (NOTIFY). */
	#refer(
		call: PhoneCall,
		target: Parameters<Session['refer']>[0],
		progress?: (status: number) => void
	): Promise<boolean> {
		return new Promise((resolve) => {
			call.session
				.refer(target, {
					onNotify: (notification) => {
						void notification.accept().catch(() => undefined);
						const status = /^SIP\/2\.0 (\d{3})/.exec(notification.request.body ?? '')?.[1];
						if (status) progress?.(Number(status));
					},
					requestDelegate: { onAccept: () => resolve(true), onReject: () => resolve(false) }
				})
				.catch(() => resolve(false));
		});
	}

	/** The microphone changed: swap the track in the running call without renegotiating. */
	async useMicrophone(deviceId: string) {
		this.devices.choose('microphone', deviceId);
		const call = this.#current;
		const sdh = call?.session.sessionDescriptionHandler as SessionDescriptionHandler | undefined;
		if (!call?.live || !sdh?.peerConnection) return;
		const stream = await navigator.mediaDevices.getUserMedia({
			audio: this.devices.audioConstraints,
			video: false
		});
		const [track] = stream.getAudioTracks();
		track.enabled = !call.muted;
		for (const sender of sdh.peerConnection.getSenders()) {
			if (sender.track?.kind === 'audio') {
				const old = sender.track;
				await sender.replaceTrack(track);
				old.stop();
			}
		}
	}

	async useSpeaker(deviceId: string) {
		this.devices.choose('speaker', deviceId);
		if (this.#audio) await this.devices.route(this.#audio, 'speaker');
	}

	useRinger(deviceId: string) {
		this.devices.choose('ringer', deviceId);
	}

	/** Pairs a WebHID headset (from a click); false where WebHID is not available. */
	async pairHeadset(): Promise<boolean> {
		if (!Headset.supported) return false;
		const ok = await this.#headset.connect(true).catch(() => false);
		if (ok) this.#headsetConnected();
		return ok;
	}

	#headsetConnected() {
		this.#headsetState = 'connected';
		this.#headsetName = this.#headset.name;
	}

	/** The agent picked the caller on the landing card: the call log links it. */
	setMatched(call: PhoneCall, matched: CallMatch | null) {
		call.matched = matched;
	}

	/** Audio packets of the current call, from WebRTC stats (for diagnostics and tests). */
	async mediaStats(): Promise<{
		connection: string;
		packetsReceived: number;
		packetsSent: number;
		/** Energy of the audio heard (inbound-rtp totalAudioEnergy): above zero when someone speaks. */
		audioEnergy: number;
		iceUfrag: string | null;
	}> {
		const call = this.#current;
		const pc = (call?.session.sessionDescriptionHandler as SessionDescriptionHandler | undefined)
			?.peerConnection;
		const out = {
			connection: pc?.connectionState ?? 'none',
			packetsReceived: 0,
			packetsSent: 0,
			audioEnergy: 0,
			// A new ICE username fragment after a reconnection says that ICE was restarted.
			iceUfrag: /a=ice-ufrag:(\S+)/.exec(pc?.localDescription?.sdp ?? '')?.[1] ?? null
		};
		if (!pc) return out;
		(await pc.getStats()).forEach(
			(s: {
				type: string;
				kind?: string;
				packetsReceived?: number;
				packetsSent?: number;
				totalAudioEnergy?: number;
			}) => {
				if (s.type === 'inbound-rtp' && s.kind === 'audio') {
					out.packetsReceived += s.packetsReceived ?? 0;
					out.audioEnergy += s.totalAudioEnergy ?? 0;
				}
				if (s.type === 'outbound-rtp' && s.kind === 'audio') out.packetsSent += s.packetsSent ?? 0;
			}
		);
		return out;
	}

	/** Clears a finished call from the screen. */
	dismiss() {
		if (this.#current && !this.#current.live) this.#current = null;
	}

	#startTicker() {
		if (this.#ticker) return;
		this.#now = Date.now();
		this.#ticker = setInterval(() => (this.#now = Date.now()), 1000);
		this.#levelTimer = setInterval(() => void this.#readLevels(), 200);
	}

	#stopTicker() {
		if (this.#ticker) clearInterval(this.#ticker);
		if (this.#levelTimer) clearInterval(this.#levelTimer);
		this.#ticker = null;
		this.#levelTimer = null;
		this.#levels = { heard: 0, spoken: 0 };
		this.#now = Date.now();
	}

	/** The level meters: what the caller's audio and the microphone carry now (WebRTC's audioLevel). */
	async #readLevels() {
		const call = this.#current;
		const pc = (call?.session.sessionDescriptionHandler as SessionDescriptionHandler | undefined)
			?.peerConnection;
		if (!pc || (call?.phase !== 'active' && call?.phase !== 'held')) {
			if (this.#levels.heard || this.#levels.spoken) this.#levels = { heard: 0, spoken: 0 };
			return;
		}
		const levels = { heard: 0, spoken: 0 };
		(await pc.getStats()).forEach((s: { type: string; kind?: string; audioLevel?: number }) => {
			if (s.type === 'inbound-rtp' && s.kind === 'audio')
				levels.heard = Math.max(levels.heard, s.audioLevel ?? 0);
			if (s.type === 'media-source' && s.kind === 'audio')
				levels.spoken = Math.max(levels.spoken, call.muted ? 0 : (s.audioLevel ?? 0));
		});
		this.#levels = levels;
	}

	#report(call: PhoneCall, type: CallReport['type'], transferTarget?: string) {
		const own = this.#extension ?? '';
		this.#hooks.report?.({
			eventId: crypto.randomUUID(),
			sipCallId: call.sipCallId,
			type,
			// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a timestamp string, not state
			at: new Date().toISOString(),
			direction: call.direction,
			from: call.direction === 'inbound' ? call.number || 'anonymous' : own,
			to: call.direction === 'inbound' ? own : call.number,
			...(call.displayName ? { callerName: call.displayName } : {}),
			...(call.verstat ? { verstat: call.verstat } : {}),
			...(call.matched ? { matched: call.matched } : {}),
			...(transferTarget ? { transferTarget } : {})
		});
	}
}

export const softphone = new Softphone();
