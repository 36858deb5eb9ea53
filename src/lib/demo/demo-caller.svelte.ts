import { Inviter, SessionState, UserAgent, type Session } from 'sip.js';
import type { SessionDescriptionHandler } from 'sip.js/lib/platform/web';

export type DemoCallPhase = 'idle' | 'connecting' | 'ringing' | 'talking' | 'ended' | 'failed';

export interface DemoCallerLine {
	wsUrl: string;
	domain: string;
}

/**
 * /demo/phone: this browser plays a demo customer and calls an agent through the demo
 * switchboard with its own microphone. The switchboard believes the customer's number as caller
 * ID (P-Asserted-Identity) only from supervisors and administrators.
 */
export class DemoCaller {
	#phase = $state<DemoCallPhase>('idle');
	#error = $state<string | null>(null);
	#ua: UserAgent | null = null;
	#session: Session | null = null;
	#audio: HTMLAudioElement | null = null;

	get phase(): DemoCallPhase {
		return this.#phase;
	}
	get error(): string | null {
		return this.#error;
	}
	get live(): boolean {
		return this.#phase === 'connecting' || this.#phase === 'ringing' || this.#phase === 'talking';
	}

	async call(line: DemoCallerLine, from: { number: string; name: string }, extension: string) {
		if (this.live) return;
		this.#error = null;
		this.#phase = 'connecting';
		try {
			const ua = await this.#userAgent(line, from);
			const target = UserAgent.makeURI(`sip:${extension}@${line.domain}`);
			if (!target) throw new Error(`sip:${extension}@${line.domain}`);
			const name = from.name.replace(/["\\]/g, '');
			const inviter = new Inviter(ua, target, {
				extraHeaders: [`P-Asserted-Identity: "${name}" <sip:${from.number}@${line.domain};user=phone>`],
				sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } }
			});
			this.#session = inviter;
			inviter.stateChange.addListener((state) => {
				if (state === SessionState.Established) {
					this.#phase = 'talking';
					this.#play(inviter);
				} else if (state === SessionState.Terminated) {
					if (this.#phase !== 'failed') this.#phase = 'ended';
					this.#session = null;
				}
			});
			await inviter.invite({
				requestDelegate: {
					onProgress: () => {
						if (this.#phase === 'connecting') this.#phase = 'ringing';
					},
					onReject: (response) => {
						this.#phase = 'failed';
						this.#error = `${response.message.statusCode} ${response.message.reasonPhrase}`;
					}
				}
			});
		} catch (error) {
			this.#phase = 'failed';
			this.#error = error instanceof Error ? error.message : String(error);
		}
	}

	async hangUp() {
		const session = this.#session;
		if (!session) return;
		if (session.state === SessionState.Established) await session.bye().catch(() => undefined);
		else if (session instanceof Inviter) await session.cancel().catch(() => undefined);
	}

	async stop() {
		await this.hangUp();
		await this.#ua?.stop().catch(() => undefined);
		this.#ua = null;
		this.#audio?.remove();
		this.#audio = null;
	}

	async #userAgent(line: DemoCallerLine, from: { number: string; name: string }): Promise<UserAgent> {
		// One user agent per caller identity: its From names the customer too.
		await this.#ua?.stop().catch(() => undefined);
		const ua = new UserAgent({
			uri: UserAgent.makeURI(`sip:${from.number}@${line.domain}`),
			displayName: from.name,
			transportOptions: { server: line.wsUrl, connectionTimeout: 5 },
			sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: { iceServers: [] } },
			logLevel: 'error',
			userAgentString: 'Fieldline demo phone'
		});
		await ua.start();
		this.#ua = ua;
		return ua;
	}

	#play(session: Session) {
		const sdh = session.sessionDescriptionHandler as SessionDescriptionHandler | undefined;
		if (!sdh) return;
		this.#audio ??= document.body.appendChild(document.createElement('audio'));
		this.#audio.autoplay = true;
		this.#audio.srcObject = sdh.remoteMediaStream;
		void this.#audio.play().catch(() => undefined);
	}
}
