/** Calendar dates as 'YYYY-MM-DD' strings (the Drizzle `date` mode), computed in UTC days. */

const dayMs = 86_400_000;

export function isIsoDate(text: string): boolean {
	return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`));
}

export function todayIso(): string {
	return new Date().toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
	return new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
}

/** Same day `months` later; the 31st becomes the last day of a shorter month. */
export function addMonths(date: string, months: number): string {
	const [y, m, d] = date.split('-').map(Number);
	const monthIndex = y * 12 + (m - 1) + months;
	const year = Math.floor(monthIndex / 12);
	const month = monthIndex % 12;
	const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
	return new Date(Date.UTC(year, month, Math.min(d, lastDay))).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
	return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs);
}
