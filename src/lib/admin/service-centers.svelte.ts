import { ApiError } from '$lib/api/client';
import { listUsers, type AuditEntry, type UserView } from '$lib/api/users';
import {
	centerAuditTrail,
	createCenter,
	listCalendars,
	listDeskCenters,
	updateCenter,
	type CalendarView,
	type CenterInput,
	type CenterPatch,
	type DeskCenter
} from '$lib/desk-config/desk-config-api';

/**
 * The service centres on the administrator's screen: the list, the calendars and the people a
 * centre's head can be chosen from, and the audit trail of the centre being edited. Each save
 * reads the list again, so the screen shows what is stored; a 409 reloads before it is rethrown.
 */
export class ServiceCenterAdmin {
	#centers = $state<DeskCenter[]>([]);
	#calendars = $state<CalendarView[]>([]);
	#operators = $state<UserView[]>([]);
	#loaded = $state(false);
	#error = $state<ApiError | null>(null);
	#trail = $state<AuditEntry[] | null>(null);
	#trailOf: string | null = null;

	get centers(): readonly DeskCenter[] {
		return this.#centers;
	}
	get calendars(): readonly CalendarView[] {
		return this.#calendars;
	}
	/** Enabled accounts that work tickets: who may head a centre. */
	get operators(): readonly UserView[] {
		return this.#operators;
	}
	get loaded(): boolean {
		return this.#loaded;
	}
	get error(): ApiError | null {
		return this.#error;
	}
	/** The trail of the centre last asked for with `showTrail`; null while it loads. */
	get trail(): readonly AuditEntry[] | null {
		return this.#trail;
	}

	async start() {
		try {
			const [centers, calendars, users] = await Promise.all([
				listDeskCenters(),
				listCalendars(),
				listUsers()
			]);
			this.#centers = centers;
			this.#calendars = calendars;
			this.#operators = users.filter((u) => !u.disabled && u.roles.some((r) => r !== 'technician'));
			this.#error = null;
		} catch (error) {
			this.#error = asApiError(error);
		} finally {
			this.#loaded = true;
		}
	}

	async showTrail(centerId: string | null) {
		this.#trailOf = centerId;
		this.#trail = null;
		if (!centerId) return;
		try {
			const trail = await centerAuditTrail(centerId);
			if (this.#trailOf === centerId) this.#trail = trail;
		} catch {
			if (this.#trailOf === centerId) this.#trail = [];
		}
	}

	/** Creates a centre, then reads the list and its trail again. */
	create(input: CenterInput): Promise<DeskCenter> {
		return this.#saved(() => createCenter(input));
	}

	/** Changes a centre against the version shown; a 409 reloads the list before it is rethrown. */
	update(center: DeskCenter, patch: Omit<CenterPatch, 'version'>): Promise<DeskCenter> {
		return this.#saved(() => updateCenter(center, patch));
	}

	async #saved(save: () => Promise<DeskCenter>): Promise<DeskCenter> {
		try {
			const saved = await save();
			await this.#reloadCenters();
			void this.showTrail(saved.id);
			return saved;
		} catch (error) {
			if (error instanceof ApiError && error.status === 409) await this.#reloadCenters();
			throw error;
		}
	}

	async #reloadCenters() {
		try {
			this.#centers = await listDeskCenters();
		} catch (error) {
			this.#error = asApiError(error);
		}
	}
}

function asApiError(error: unknown): ApiError {
	return error instanceof ApiError ? error : new ApiError(0, 'network', String(error));
}
