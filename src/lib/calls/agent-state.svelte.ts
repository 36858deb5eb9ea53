import type { AgentStateEntry } from './calls-api';
import { listAgentStates, myAgentState } from './calls-api';

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

/** Every agent's state, for supervisors: a snapshot, then pushed versions. */
export class AgentBoard {
	#agents = $state<AgentStateEntry[]>([]);
	#loading = $state(true);

	get agents() {
		return this.#agents;
	}
	get loading() {
		return this.#loading;
	}

	async load() {
		try {
			this.#agents = await listAgentStates();
		} finally {
			this.#loading = false;
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
