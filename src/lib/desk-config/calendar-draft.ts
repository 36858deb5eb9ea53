import type { BusinessCalendarConfig, CalendarView } from './desk-config-api';

type Day = 1 | 2 | 3 | 4 | 5 | 6 | 7;
const days: Day[] = [1, 2, 3, 4, 5, 6, 7];

/** A calendar as the editor holds it: every weekday present, closures as from/to (one day: from = to). */
export interface CalendarDraft {
	name: string;
	timeZone: string;
	region: string;
	weekHours: Record<Day, Array<{ start: string; end: string }>>;
	closures: Array<{ from: string; to: string }>;
}

const officeHours = [
	{ start: '08:30', end: '12:30' },
	{ start: '14:00', end: '18:00' }
];

export function calendarDraft(calendar: Pick<CalendarView, 'name' | 'config'> | null): CalendarDraft {
	const config = calendar?.config;
	return {
		name: calendar?.name ?? '',
		timeZone: config?.timeZone ?? 'Europe/Rome',
		region: config?.region ?? '',
		weekHours: Object.fromEntries(
			days.map((d) => [
				d,
				(config ? (config.weekHours[d] ?? []) : d <= 5 ? officeHours : []).map((s) => ({ ...s }))
			])
		) as CalendarDraft['weekHours'],
		closures: (config?.closures ?? []).map((c) => ('date' in c ? { from: c.date, to: c.date } : { ...c }))
	};
}

/** What the API takes; the server validates it (and names the field it refuses). */
export function calendarConfig(draft: CalendarDraft): BusinessCalendarConfig {
	return {
		timeZone: draft.timeZone.trim(),
		country: 'IT',
		...(draft.region ? { region: draft.region } : {}),
		weekHours: Object.fromEntries(
			days.map((d) => [d, draft.weekHours[d]])
		) as BusinessCalendarConfig['weekHours'],
		closures: draft.closures.map((c) =>
			!c.to || c.to === c.from ? { date: c.from } : { from: c.from, to: c.to }
		)
	};
}
