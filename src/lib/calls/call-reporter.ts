import type { CallReportInput } from '$server/calls/calls.schemas';

export type SendReport = (
	report: CallReportInput
) => Promise<{ ok: boolean; callId?: string; retry?: boolean }>;

/**
 * Delivers the softphone's call events to the server in order, retrying while the socket is
 * down. A retried event is harmless: the server ignores an eventId it has seen.
 */
export class CallReporter {
	readonly #queue: CallReportInput[] = [];
	#hold: Promise<unknown> | null = null;
	#sending = false;
	#timer: ReturnType<typeof setTimeout> | null = null;
	/** Our call-log id of each SIP call, once the server has answered. */
	readonly callIds = new Map<string, string>();
	readonly #send: SendReport;
	readonly #delivered: (sipCallId: string, callId: string) => void;

	constructor(send: SendReport, delivered: (sipCallId: string, callId: string) => void = () => {}) {
		this.#send = send;
		this.#delivered = delivered;
	}

	/** Sends nothing more until `until` settles (the screen pop gets the server to itself first). */
	hold(until: Promise<unknown>) {
		const hold = until.catch(() => undefined);
		this.#hold = hold;
		void hold.then(() => {
			if (this.#hold === hold) this.#hold = null;
			void this.#flush();
		});
	}

	report = (report: CallReportInput) => {
		this.#queue.push(report);
		void this.#flush();
	};

	async #flush() {
		if (this.#sending || this.#hold) return;
		this.#sending = true;
		try {
			while (this.#queue.length) {
				const next = this.#queue[0];
				const result = await this.#send(next).catch(() => ({ ok: false, retry: true }) as const);
				if (!result.ok && result.retry) {
					// The socket is down: try again shortly (socket.io buffers nothing for acks that time out).
					if (!this.#timer) {
						this.#timer = setTimeout(() => {
							this.#timer = null;
							void this.#flush();
						}, 2000);
					}
					return;
				}
				// Delivered, or refused for good (bad input): either way, next one.
				this.#queue.shift();
				if ('callId' in result && result.callId) {
					this.callIds.set(next.sipCallId, result.callId);
					this.#delivered(next.sipCallId, result.callId);
				}
			}
		} finally {
			this.#sending = false;
		}
	}
}
