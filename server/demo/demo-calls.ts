import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client';
import { availableAgentsLongestIdle } from '../calls/agent-states.service';
import { sampleDemoCaller, type DemoCaller } from '../callers/callers.service';
import { log } from '../core/log';
import { loadGreeting } from './greeting';
import { SimulatedCustomer } from './simulated-customer';
import type { DemoSwitchboard } from './switchboard';
import { weriftSessionDescriptionHandlerFactory } from './werift-sdh';

export interface DemoCallTimings {
	/** How long one agent's phone rings before the ACD tries the next. */
	ringMs: number;
	/** How long a customer waits for somebody before giving up (abandoned). */
	patienceMs: number;
	/** A call to one extension rings this long at most. */
	directRingMs: number;
	/** How long a customer talks before hanging up (the agent may hang up first). */
	talkMs: () => number;
}

const defaultTimings: DemoCallTimings = {
	ringMs: 15_000,
	patienceMs: 60_000,
	directRingMs: 30_000,
	talkMs: () => 45_000 + Math.floor(Math.random() * 30_000)
};

/**
 * Simulated customers calling the demo switchboard: one call to an extension, or to the ACD (the
 * available agents, longest idle first, the next one when nobody answers, until the customer
 * gives up), and an optional stream of them. Each agent's browser logs its leg of the call as it
 * would with a real PBX.
 */
export class DemoCalls {
	readonly switchboard: DemoSwitchboard;
	/** Where browsers open the switchboard: ws(s)://<console>/sip. */
	readonly wsUrl: string;
	readonly #db: Database;
	readonly #timings: DemoCallTimings;
	readonly #live = new Set<SimulatedCustomer>();
	#stream: { everySeconds: number; timer: ReturnType<typeof setInterval> } | null = null;
	#closed = false;

	constructor(options: {
		switchboard: DemoSwitchboard;
		wsUrl: string;
		db: Database;
		timings?: Partial<DemoCallTimings>;
	}) {
		this.switchboard = options.switchboard;
		this.wsUrl = options.wsUrl;
		this.#db = options.db;
		this.#timings = { ...defaultTimings, ...options.timings };
	}

	get liveCalls(): number {
		return this.#live.size;
	}

	/** A random demo customer whose number identifies them alone. */
	pickCaller(): Promise<DemoCaller | null> {
		return sampleDemoCaller(this.#db);
	}

	/** Starts the call and returns its id at once; ringing and talking go on in the background. */
	start(caller: DemoCaller, to: string | null): string {
		const callId = randomUUID();
		const customer = new SimulatedCustomer({
			switchboard: this.switchboard,
			identity: { number: caller.number, displayName: caller.companyName },
			sessionDescriptionHandlerFactory: weriftSessionDescriptionHandlerFactory({ audio: loadGreeting() }),
			talkMs: this.#timings.talkMs()
		});
		this.#live.add(customer);
		void customer.ended.then(() => this.#live.delete(customer));
		void this.#run(customer, to).catch(async (error: unknown) => {
			log.error('demo call failed', { error, callId });
			await customer.finish();
		});
		log.info('demo call', { callId, from: caller.number, to: to ?? 'acd' });
		return callId;
	}

	async #run(customer: SimulatedCustomer, to: string | null) {
		await customer.start();
		if (to) {
			if ((await customer.ring(to, this.#timings.directRingMs)) !== 'answered') await customer.finish();
			return;
		}
		const deadline = Date.now() + this.#timings.patienceMs;
		const tried = new Set<string>();
		while (!this.#closed && Date.now() < deadline) {
			const next = await this.#nextAgent(tried);
			if (!next) {
				// Everyone was tried (or nobody is free): a real queue keeps the caller waiting and tries again.
				tried.clear();
				await sleep(Math.min(2000, Math.max(0, deadline - Date.now())));
				continue;
			}
			tried.add(next);
			const outcome = await customer.ring(next, Math.min(this.#timings.ringMs, deadline - Date.now()));
			if (outcome === 'answered') return;
		}
		// Abandoned: the customer gave up waiting.
		await customer.finish();
	}

	async #nextAgent(tried: Set<string>): Promise<string | null> {
		const agents = await availableAgentsLongestIdle(this.#db);
		return (
			agents.find((a) => !tried.has(a.extension) && this.switchboard.isRegistered(a.extension))?.extension ??
			null
		);
	}

	/** The ACD agents a call could ring now (available, registered), longest idle first. */
	async reachableAgents(): Promise<string[]> {
		const agents = await availableAgentsLongestIdle(this.#db);
		return agents.filter((a) => this.switchboard.isRegistered(a.extension)).map((a) => a.extension);
	}

	get stream(): { everySeconds: number } | null {
		return this.#stream ? { everySeconds: this.#stream.everySeconds } : null;
	}

	/** A new ACD call every N seconds while somebody can take it; null stops the stream. */
	streamEvery(everySeconds: number | null) {
		if (this.#stream) clearInterval(this.#stream.timer);
		this.#stream = null;
		if (!everySeconds || this.#closed) return;
		const timer = setInterval(() => void this.#streamTick(), everySeconds * 1000);
		timer.unref();
		this.#stream = { everySeconds, timer };
	}

	async #streamTick() {
		try {
			if ((await this.reachableAgents()).length === 0) return;
			const caller = await this.pickCaller();
			if (caller) this.start(caller, null);
		} catch (error) {
			log.error('demo call stream failed', { error });
		}
	}

	async close() {
		this.#closed = true;
		this.streamEvery(null);
		await Promise.all([...this.#live].map((customer) => customer.finish()));
	}
}

function sleep(ms: number) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
