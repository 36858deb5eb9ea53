/**
 * Several console tabs of one agent all register (each with its own Contact instance), but only
 * one rings: the tab that holds the agent's Web Lock. The others stay silent and follow the
 * ringing tab's answer or rejection through a BroadcastChannel.
 */
export type TabMessage =
	| { type: 'answered'; sipCallId: string; tabId: string }
	| { type: 'rejected'; sipCallId: string; tabId: string }
	| { type: 'take-over'; tabId: string };

export class TabCoordinator {
	readonly tabId: string;
	#channel: BroadcastChannel | null = null;
	#leader = false;
	#release: (() => void) | null = null;
	#onMessage: (message: TabMessage) => void = () => {};
	#onLeadership: (leader: boolean) => void = () => {};

	constructor(tabId: string) {
		this.tabId = tabId;
	}

	/** Whether this tab rings. Without Web Locks (old browsers) every tab rings. */
	get leader(): boolean {
		return this.#leader;
	}

	start(
		userId: string,
		handlers: { onMessage: (m: TabMessage) => void; onLeadership: (leader: boolean) => void }
	) {
		this.#onMessage = handlers.onMessage;
		this.#onLeadership = handlers.onLeadership;
		if (typeof BroadcastChannel !== 'undefined') {
			this.#channel = new BroadcastChannel(`fieldline-softphone-${userId}`);
			this.#channel.onmessage = (event: MessageEvent<TabMessage>) => {
				if (event.data.tabId !== this.tabId) this.#onMessage(event.data);
			};
		}
		const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
		if (!locks) {
			this.#setLeader(true);
			return;
		}
		void locks
			.request(`fieldline-softphone-${userId}`, () => {
				this.#setLeader(true);
				// Held until this tab closes or stops: the next tab in line then gets it.
				return new Promise<void>((resolve) => (this.#release = resolve));
			})
			.catch(() => this.#setLeader(true));
	}

	post(message: TabMessage) {
		this.#channel?.postMessage(message);
	}

	stop() {
		this.#release?.();
		this.#release = null;
		this.#channel?.close();
		this.#channel = null;
		this.#leader = false;
	}

	#setLeader(leader: boolean) {
		this.#leader = leader;
		this.#onLeadership(leader);
	}
}
