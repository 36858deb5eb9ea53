import { api, call } from '$lib/api/client';
import { t } from '$lib/i18n/i18n.svelte';
import { toasts } from '$lib/ui/toasts.svelte';
import type { DialRequest } from './dial';
import { ScreenPop } from '$lib/callers/screen-pop.svelte';
import type {
	AgentStateEntry,
	AgentStateInput,
	CallLogEntry,
	CallReportInput
} from '$server/calls/calls.schemas';
import {
	softphone,
	type PhoneCall,
	type Registration,
	type SoftphoneLine
} from '$lib/softphone/softphone.svelte';
import { MyAgentState } from './agent-state.svelte';
import { CallReporter } from './call-reporter';

type Reply<T> = { ok: true; data?: T } | { ok: false; error: { code: string; message: string } };

/** What the desk needs of the console's one socket. */
export interface TelephonySocket {
	request(
		event: 'call:report',
		payload: CallReportInput
	): Promise<Reply<{ callId: string; version: number }>>;
	request(event: 'agent:state', payload: AgentStateInput): Promise<Reply<AgentStateEntry>>;
	onCallChanged(listener: (entry: CallLogEntry) => void): () => void;
	onAgentState(listener: (entry: AgentStateEntry) => void): () => void;
	onResync(listener: () => void): () => void;
}

/**
 * The agent's telephony, wired once per signed-in tab: the softphone registers, its call events
 * go to the server, an incoming call opens the landing card while it rings, click-to-call dials,
 * and the agent's state and wrap-up follow the server.
 */
class TelephonyDesk {
	#pop = $state<ScreenPop | null>(null);
	#popCall = $state<PhoneCall | null>(null);
	#popCallLogId = $state<string | null>(null);
	#popReady: Promise<void> | null = null;
	#wrapUp = $state<CallLogEntry | null>(null);
	#stateError = $state<string | null>(null);
	readonly myState = new MyAgentState();
	#socket: TelephonySocket | null = null;
	#userId: string | null = null;
	#cleanups: Array<() => void> = [];

	get pop() {
		return this.#pop;
	}
	/** The call the landing card belongs to. */
	get popCall() {
		return this.#popCall;
	}
	/** Our call-log id of the call the landing card belongs to (links a ticket opened from the card). */
	get popCallLogId() {
		return this.#popCallLogId;
	}
	/** The last answered call of mine that still needs its disposition. */
	get wrapUp() {
		return this.#wrapUp;
	}
	get stateError() {
		return this.#stateError;
	}
	get started() {
		return this.#userId !== null;
	}

	/** `extension`: the user's SIP extension, as the session has it (null: no line to ask for). */
	async start(userId: string, extension: string | null, socket: TelephonySocket) {
		if (this.#userId === userId) return;
		await this.stop();
		this.#userId = userId;
		this.#socket = socket;
		const reporter = new CallReporter(
			async (report) => {
				const reply = await socket.request('call:report', report);
				if (reply.ok) return { ok: true, callId: reply.data?.callId };
				return {
					ok: false,
					retry:
						reply.error.code === 'timeout' ||
						reply.error.code === 'unavailable' ||
						reply.error.code === 'internal'
				};
			},
			(sipCallId, callId) => {
				if (this.#popCall?.sipCallId === sipCallId) this.#popCallLogId = callId;
			}
		);
		this.#cleanups.push(
			socket.onAgentState((entry) => {
				if (entry.userId === this.#userId) this.myState.apply(entry);
			}),
			socket.onCallChanged((entry) => this.#onCallChanged(entry)),
			socket.onResync(() => void this.myState.load().catch(() => undefined))
		);
		const onDial = (event: Event) => {
			const request = (event as CustomEvent<DialRequest>).detail;
			// Handled: the shell must not show its "no phone" message.
			event.preventDefault();
			void softphone.dial(request.number).then((ok) => {
				if (!ok) toasts.show(t('softphone.dialFailed', { number: request.display }), 'error');
			});
		};
		window.addEventListener('console:dial', onDial);
		this.#cleanups.push(() => window.removeEventListener('console:dial', onDial));
		await this.myState.load().catch(() => undefined);

		let config: SoftphoneLine | null = null;
		let unavailable: Registration = 'no_extension';
		// Without an extension the server would refuse the line (403): do not ask.
		if (extension) {
			const answer = await call(() => api.softphone.config.$get()).catch(() => null);
			if (answer?.line) config = answer;
			else if (answer) unavailable = 'unavailable';
		}
		await softphone.start(
			config,
			userId,
			{
				report: (report) => this.#report(reporter, report),
				incoming: (phoneCall) => this.#screenPop(phoneCall),
				registration: (registration) => {
					// Registered and signed in: ready for calls unless the agent chose a break.
					if (registration === 'registered' && this.myState.state === 'offline')
						void this.setState({ state: 'available' });
				}
			},
			unavailable
		);
		exposeForTests();
	}

	async stop() {
		this.#cleanups.forEach((cleanup) => cleanup());
		this.#cleanups = [];
		if (this.#userId && this.myState.state !== 'offline' && this.#socket)
			await this.setState({ state: 'offline' }).catch(() => undefined);
		await softphone.stop();
		this.#userId = null;
		this.#pop = null;
		this.#popCall = null;
	}

	#screenPop(phoneCall: PhoneCall) {
		const pop = new ScreenPop(phoneCall.number, phoneCall.displayName);
		this.#pop = pop;
		this.#popCall = phoneCall;
		this.#popCallLogId = null;
		this.#popReady = pop.start().then(() => {
			const chosen = pop.chosen;
			if (chosen)
				softphone.setMatched(phoneCall, {
					kind: chosen.kind,
					id: chosen.id,
					...(chosen.customerId ? { customerId: chosen.customerId } : {})
				});
		});
	}

	/**
	 * The "ringing" report waits for the screen pop (at most 1.5 s): the card gets the server to
	 * itself, and the report carries the match the card found, so the server need not look it up.
	 */
	#report(reporter: CallReporter, report: CallReportInput) {
		const call = this.#popCall;
		if (report.type === 'ringing' && call?.sipCallId === report.sipCallId && this.#popReady) {
			const pop = this.#pop;
			reporter.hold(
				Promise.race([this.#popReady, new Promise((resolve) => setTimeout(resolve, 1500))]).then(() => {
					if (report.matched === undefined && pop && pop.state !== 'looking_up' && pop.state !== 'error') {
						const chosen = pop.chosen;
						report.matched = chosen
							? {
									kind: chosen.kind,
									id: chosen.id,
									...(chosen.customerId ? { customerId: chosen.customerId } : {})
								}
							: null;
					}
				})
			);
		}
		reporter.report(report);
	}

	/** Opens the landing card for a number by hand (an outbound call, a missed call). */
	showCaller(number: string, name: string | null = null) {
		const pop = new ScreenPop(number, name);
		this.#pop = pop;
		this.#popCall = null;
		this.#popCallLogId = null;
		void pop.start();
	}

	closePop() {
		this.#pop = null;
		this.#popCall = null;
	}

	#onCallChanged(entry: CallLogEntry) {
		if (entry.agent?.id !== this.#userId) return;
		const needsWrapUp = entry.state === 'ended' && entry.answeredAt !== null && entry.disposition === null;
		if (
			needsWrapUp &&
			(!this.#wrapUp || this.#wrapUp.id !== entry.id || entry.version > this.#wrapUp.version)
		)
			this.#wrapUp = entry;
		if (!needsWrapUp && this.#wrapUp?.id === entry.id) this.#wrapUp = null;
	}

	wrapUpDone() {
		this.#wrapUp = null;
	}

	async setState(input: AgentStateInput) {
		if (!this.#socket) return;
		const reply = await this.#socket.request('agent:state', input);
		if (reply.ok) {
			this.#stateError = null;
			if (reply.data) this.myState.apply(reply.data);
		} else {
			this.#stateError = reply.error.message;
		}
	}
}

/** Browser tests read the phone's media counters and state (set `window.__consoleTestHooks`). */
function exposeForTests() {
	if (import.meta.env.DEV || window.__consoleTestHooks === true)
		(window as Window & { __softphone?: typeof softphone }).__softphone = softphone;
}

export const desk = new TelephonyDesk();
