import { ApiError } from '$lib/api/client';
import { listUsers, setUserDisabled, type UserView } from '$lib/api/users';
import { realtime } from '$lib/realtime/socket.svelte';

/**
 * The user accounts, for administrators. Live: a pushed `entity:changed` for a user newer than
 * the one shown (or unknown) refetches the list, as does a reconnect without recovery.
 */
export class UserDirectory {
	#users = $state<UserView[]>([]);
	#loaded = $state(false);
	#error = $state<ApiError | null>(null);
	#busy = $state<Record<string, true>>({});
	#request = 0;

	get users(): readonly UserView[] {
		return this.#users;
	}

	get loaded(): boolean {
		return this.#loaded;
	}

	get error(): ApiError | null {
		return this.#error;
	}

	isBusy(userId: string): boolean {
		return this.#busy[userId] === true;
	}

	start(): () => void {
		const offChange = realtime.on('entity:changed', (change) => {
			if (change.entity !== 'user') return;
			const shown = this.#users.find((user) => user.id === change.id);
			if (!shown || change.version > shown.version) void this.#load();
		});
		const offResync = realtime.onResync(() => void this.#load());
		void this.#load();
		return () => {
			offChange();
			offResync();
		};
	}

	/** Disables or enables an account; on a version conflict the list is reloaded and the error rethrown. */
	async setDisabled(user: UserView, disabled: boolean): Promise<UserView> {
		this.#busy = { ...this.#busy, [user.id]: true };
		try {
			const saved = await setUserDisabled(user, disabled);
			this.#users = this.#users.map((existing) => (existing.id === saved.id ? saved : existing));
			return saved;
		} catch (error) {
			if (error instanceof ApiError && error.status === 409) await this.#load();
			throw error;
		} finally {
			const { [user.id]: _done, ...rest } = this.#busy;
			this.#busy = rest;
		}
	}

	async #load() {
		const request = ++this.#request;
		try {
			const users = await listUsers();
			if (request !== this.#request) return;
			this.#users = users;
			this.#error = null;
		} catch (error) {
			if (request !== this.#request) return;
			this.#error = error instanceof ApiError ? error : new ApiError(0, 'network', String(error));
		} finally {
			if (request === this.#request) this.#loaded = true;
		}
	}
}
