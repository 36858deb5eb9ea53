import { realtime } from '$lib/realtime/socket.svelte';
import type { AgentStateEntry } from './calls-api';
import { listAgentStates, myAgentState } from './calls-api';

type AgentState = AgentStateEntry['state'];

/** The signed-in agent's own state, as the server has it. */
export class MyAgentState {
	#entry = $state<AgentStateEntry | null>(null);

	get entry() {
		return this.#entry;
	}
	get state() {
		return this.#entry?.state ?? 'offline';
	}

	async load() {
		this.#entry = await myAgentState();
	}

	apply(entry: AgentStateEntry) {
		if (!this.#entry || (entry.userId === this.#entry.userId && entry.version > this.#entry.version))
			this.#entry = entry;
	}
}

/**
 * Every agent's state, for supervisors: a snapshot, then pushed versions. The call log's panel
 * and the wallboard both read it, so they never disagree: the state is the server's
 * `agent_states` (set by the softphone's registration, the agent's choice and the calls), not
 * whether the agent has the console open.
 */
export class AgentBoard {
	#agents = $state<AgentStateEntry[]>([]);
	#loading = $state(true);
	#request = 0;

	get agents() {
		return this.#agents;
	}
	get loading() {
		return this.#loading;
	}

	/** How many agents are in one of these states. */
	count(...states: AgentState[]): number {
		return this.#agents.filter((agent) => states.includes(agent.state)).length;
	}

	/** Loads and follows; returns the function that stops following. */
	start(): () => void {
		const offState = realtime.on('agent:state', (entry) => this.apply(entry));
		const offResync = realtime.onResync(() => void this.load().catch(() => undefined));
		void this.load().catch(() => undefined);
		return () => {
			offState();
			offResync();
		};
	}

	async load() {
		const request = ++this.#request;
		try {
			const snapshot = await listAgentStates();
			// A later load answers for the board; and a push heard while this snapshot was on its
			// way may be newer than the snapshot's row: the higher version wins.
			if (request !== this.#request) return;
			const held = Object.fromEntries(this.#agents.map((agent) => [agent.userId, agent]));
			this.#agents = snapshot.map((entry) => {
				const pushed = held[entry.userId] as AgentStateEntry | undefined;
				return pushed && pushed.version > entry.version ? pushed : entry;
			});
		} finally {
			if (request === this.#request) this.#loading = false;
		}
	}

	apply(entry: AgentStateEntry) {
		const index = this.#agents.findIndex((a) => a.userId === entry.userId);
		if (index < 0) {
			this.#agents = [...this.#agents, entry].sort((a, b) => a.displayName.localeCompare(b.displayName));
		} else if (entry.version > this.#agents[index].version) {
			this.#agents = this.#agents.map((a, i) => (i === index ? entry : a));
		}
	}
}
