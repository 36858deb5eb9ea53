import { ApiError } from '$lib/api/client';
import {
	getUser,
	listTeams,
	updateUser,
	userAuditTrail,
	type AuditEntry,
	type TeamView,
	type UserPatch,
	type UserView
} from '$lib/api/users';
import { listGroupOptions, type GroupOption } from '$lib/desk-config/desk-config-api';
import { realtime } from '$lib/realtime/socket.svelte';

/** What the user form offers: the teams and every centre's groups. */
export interface UserFormOptions {
	teams: TeamView[];
	groups: GroupOption[];
}

export async function loadUserFormOptions(): Promise<UserFormOptions> {
	const [teams, groups] = await Promise.all([listTeams(), listGroupOptions()]);
	return { teams, groups };
}

/**
 * One account on the administrator's edit screen, with its audit trail. Live: a pushed change of
 * this user newer than the one shown (another administrator's save) reloads both, as does a
 * reconnect without recovery. Every save answers with the saved account and reloads the trail.
 */
export class UserAccount {
	readonly id: string;
	#user = $state<UserView | null>(null);
	#trail = $state<AuditEntry[] | null>(null);
	#error = $state<ApiError | null>(null);
	#request = 0;

	constructor(id: string) {
		this.id = id;
	}

	get user(): UserView | null {
		return this.#user;
	}
	get trail(): readonly AuditEntry[] | null {
		return this.#trail;
	}
	get error(): ApiError | null {
		return this.#error;
	}

	start(): () => void {
		const offChange = realtime.on('entity:changed', (change) => {
			if (change.entity !== 'user' || change.id !== this.id) return;
			if (!this.#user || change.version > this.#user.version) void this.#load();
		});
		const offResync = realtime.onResync(() => void this.#load());
		void this.#load();
		return () => {
			offChange();
			offResync();
		};
	}

	/** Saves a change against the version shown; a 409 reloads what is stored before it is rethrown. */
	async save(patch: Omit<UserPatch, 'version'>): Promise<UserView> {
		const user = this.#user;
		if (!user) throw new ApiError(404, 'not_found', 'User not loaded');
		try {
			const saved = await updateUser(user, patch);
			this.#user = saved;
			void this.#loadTrail();
			return saved;
		} catch (error) {
			if (error instanceof ApiError && error.status === 409) await this.#load();
			throw error;
		}
	}

	async #load() {
		const request = ++this.#request;
		try {
			const [user, trail] = await Promise.all([getUser(this.id), userAuditTrail(this.id)]);
			if (request !== this.#request) return;
			this.#user = user;
			this.#trail = trail;
			this.#error = null;
		} catch (error) {
			if (request === this.#request)
				this.#error = error instanceof ApiError ? error : new ApiError(0, 'network', String(error));
		}
	}

	async #loadTrail() {
		try {
			this.#trail = await userAuditTrail(this.id);
		} catch {
			// The save went through; the trail shows up with the next load.
		}
	}
}
