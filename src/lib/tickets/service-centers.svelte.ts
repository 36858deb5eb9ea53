import { ApiError } from '$lib/api/client';
import { defaultTimeZone } from '$lib/i18n/zoned-time';
import { session } from '$lib/session/session.svelte';
import { listServiceCenters, type ServiceCenterView } from './tickets-api';

const storageKey = 'fieldline.tickets.serviceCenter';

/**
 * The service centres the user may see, with their groups, categories, action reasons and SLA
 * policy: loaded once per signed-in user and shared by the queue, the ticket page and the form.
 */
class ServiceCenters {
	#items = $state<ServiceCenterView[]>([]);
	#error = $state<ApiError | null>(null);
	#loaded = $state(false);
	#pending: Promise<ServiceCenterView[]> | null = null;
	#userId: string | null = null;

	get items(): ServiceCenterView[] {
		return this.#items;
	}

	get error(): ApiError | null {
		return this.#error;
	}

	get loaded(): boolean {
		return this.#loaded;
	}

	byId(id: string | null | undefined): ServiceCenterView | undefined {
		return id ? this.#items.find((c) => c.id === id) : undefined;
	}

	/** The zone of the centre's business calendar: its tickets' times and deadlines are shown in it. */
	timeZoneOf(id: string | null | undefined): string {
		return this.byId(id)?.sla?.timeZone ?? defaultTimeZone;
	}

	/**
	 * The zone for times that belong to no single centre (a customer's tickets and calls): the one
	 * the user's centres share, else the default.
	 */
	get timeZone(): string {
		const zones = new Set(this.#items.map((c) => this.timeZoneOf(c.id)));
		return zones.size === 1 ? [...zones][0] : defaultTimeZone;
	}

	/** Loads once per user; `force` reloads (an action reason or a group changed). */
	load(force = false): Promise<ServiceCenterView[]> {
		const userId = session.user?.id ?? null;
		if (userId !== this.#userId) {
			this.#userId = userId;
			this.#pending = null;
			this.#loaded = false;
		}
		if (this.#pending && !force) return this.#pending;
		const pending = listServiceCenters().then(
			(items) => {
				if (this.#pending === pending) {
					this.#items = items;
					this.#error = null;
					this.#loaded = true;
				}
				return items;
			},
			(error: unknown) => {
				if (this.#pending === pending) {
					this.#error = error instanceof ApiError ? error : new ApiError(0, 'network', String(error));
					this.#pending = null;
				}
				throw error;
			}
		);
		this.#pending = pending;
		return pending;
	}

	/** The centre last worked on, if it is still one of the user's. */
	remembered(): ServiceCenterView | undefined {
		let saved: string | null = null;
		try {
			saved = localStorage.getItem(storageKey);
		} catch {
			// No storage: nothing remembered.
		}
		return this.byId(saved);
	}

	/** The centre last worked on, if it is still one of the user's, else the first. */
	preferred(): ServiceCenterView | undefined {
		return this.remembered() ?? this.#items[0];
	}

	remember(id: string) {
		try {
			localStorage.setItem(storageKey, id);
		} catch {
			// Not remembered on this browser: the first centre opens next time.
		}
	}

	/** No centre is the one last worked on (the queue then opens on all of them). */
	forget() {
		try {
			localStorage.removeItem(storageKey);
		} catch {
			// Nothing was remembered.
		}
	}
}

export const serviceCenters = new ServiceCenters();
