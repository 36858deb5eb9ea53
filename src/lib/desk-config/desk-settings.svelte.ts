import { ApiError } from '$lib/api/client';
import { listUsers, type UserView } from '$lib/api/users';
import {
	getDeskConfig,
	listCalendars,
	listDeskCenters,
	listHolidayRegions,
	type CalendarView,
	type DeskCenter,
	type DeskConfig,
	type HolidayRegion
} from './desk-config-api';

const storageKey = 'fieldline.admin.deskCenter';

/**
 * The support-desk settings of one service centre at a time, for the administrator's screen.
 * Every save goes to the server and the centre's configuration is read again after it, so the
 * screen always shows what is stored (versions included); a 409 reloads before it is rethrown.
 */
export class DeskSettings {
	#centers = $state<DeskCenter[]>([]);
	#centerId = $state<string | null>(null);
	#config = $state<DeskConfig | null>(null);
	#calendars = $state<CalendarView[]>([]);
	#regions = $state<HolidayRegion[]>([]);
	#operators = $state<UserView[]>([]);
	#error = $state<ApiError | null>(null);
	#request = 0;

	get centers(): readonly DeskCenter[] {
		return this.#centers;
	}
	get centerId(): string | null {
		return this.#centerId;
	}
	get config(): DeskConfig | null {
		return this.#config;
	}
	get calendars(): readonly CalendarView[] {
		return this.#calendars;
	}
	get regions(): readonly HolidayRegion[] {
		return this.#regions;
	}
	/** Enabled accounts that may work tickets: the people a group can hold. */
	get operators(): readonly UserView[] {
		return this.#operators;
	}
	get error(): ApiError | null {
		return this.#error;
	}

	/** Opens `preferredId` (a link from another screen), else the centre last opened here, else the first active. */
	async start(preferredId: string | null = null) {
		try {
			const [centers, calendars, regions, users] = await Promise.all([
				listDeskCenters(),
				listCalendars(),
				listHolidayRegions(),
				listUsers()
			]);
			this.#centers = centers;
			this.#calendars = calendars;
			this.#regions = regions;
			this.#operators = users.filter((u) => !u.disabled && u.roles.some((r) => r !== 'technician'));
			const remembered = preferredId ?? readRemembered();
			const first = centers.find((c) => c.id === remembered) ?? centers.find((c) => c.active) ?? centers[0];
			if (first) await this.select(first.id);
		} catch (error) {
			this.#error = asApiError(error);
		}
	}

	async select(centerId: string) {
		this.#centerId = centerId;
		this.#config = null;
		try {
			localStorage.setItem(storageKey, centerId);
		} catch {
			// Not remembered on this browser: the first centre opens next time.
		}
		await this.reload();
	}

	async reload() {
		const centerId = this.#centerId;
		if (!centerId) return;
		const request = ++this.#request;
		try {
			const [config, calendars] = await Promise.all([getDeskConfig(centerId), listCalendars()]);
			if (request !== this.#request) return;
			this.#config = config;
			this.#calendars = calendars;
			this.#error = null;
		} catch (error) {
			if (request === this.#request) this.#error = asApiError(error);
		}
	}

	/** Runs one save for the current centre, then reads the configuration again. */
	async save<T>(work: (centerId: string) => Promise<T>): Promise<T> {
		const centerId = this.#centerId;
		if (!centerId) throw new ApiError(404, 'not_found', 'No service centre chosen');
		try {
			const result = await work(centerId);
			await this.reload();
			return result;
		} catch (error) {
			if (error instanceof ApiError && error.status === 409) await this.reload();
			throw error;
		}
	}
}

function readRemembered(): string | null {
	try {
		return localStorage.getItem(storageKey);
	} catch {
		return null;
	}
}

function asApiError(error: unknown): ApiError {
	return error instanceof ApiError ? error : new ApiError(0, 'network', String(error));
}
