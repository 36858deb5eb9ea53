export interface WarrantyDates {
	partsWarrantyUntil: string | null;
	labourWarrantyUntil: string | null;
}

export interface WarrantyState {
	/** In warranty while parts or labour cover has not ended (the end date is included). */
	state: 'in_warranty' | 'expired' | 'none';
	parts: { until: string; active: boolean } | null;
	labour: { until: string; active: boolean } | null;
}

/** Today's calendar date where the user is, as YYYY-MM-DD (dates in the API have no time zone). */
export function localToday(now = new Date()): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function warrantyOf(machine: WarrantyDates, today = localToday()): WarrantyState {
	const cover = (until: string | null) => (until ? { until, active: until >= today } : null);
	const parts = cover(machine.partsWarrantyUntil);
	const labour = cover(machine.labourWarrantyUntil);
	const state = parts?.active || labour?.active ? 'in_warranty' : parts || labour ? 'expired' : 'none';
	return { state, parts, labour };
}
