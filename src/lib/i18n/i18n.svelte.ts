import { it, type MessageKey } from './it';
import { en } from './en';
import { formatInstant } from './zoned-time';

export type Locale = 'it' | 'en';
export const locales: readonly Locale[] = ['it', 'en'];

const dictionaries: Record<Locale, { readonly [K in MessageKey]: string }> = { it, en };
/** Intl locales: Italian formats dates as 31/12/2025, English as 31 Dec 2025 (never US month-first). */
const intlLocale: Record<Locale, string> = { it: 'it-IT', en: 'en-GB' };
const storageKey = 'fieldline.locale';

type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
	? P | Placeholders<Rest>
	: never;
/** A key whose message has no placeholder: can be stored and passed around, then shown with `t(key)`. */
export type PlainKey = {
	[K in MessageKey]: [Placeholders<(typeof it)[K]>] extends [never] ? K : never;
}[MessageKey];
/** `t('key')` for plain messages, `t('key', { name })` when the Italian source has `{name}`. */
type Args<K extends MessageKey> = [Placeholders<(typeof it)[K]>] extends [never]
	? []
	: [params: Record<Placeholders<(typeof it)[K]>, string | number>];

function storedLocale(): Locale {
	try {
		const saved = localStorage.getItem(storageKey);
		if (saved === 'it' || saved === 'en') return saved;
	} catch {
		// Storage can be unavailable (privacy mode): fall back to Italian, the default.
	}
	return 'it';
}

/**
 * The language of the interface. The signed-in user's saved locale wins (it comes with /api/me
 * and the login answer); before sign-in the last locale used on this browser is shown.
 */
class I18n {
	#locale = $state<Locale>(storedLocale());

	get locale(): Locale {
		return this.#locale;
	}

	get intlLocale(): string {
		return intlLocale[this.#locale];
	}

	use(locale: Locale) {
		this.#locale = locale;
		document.documentElement.lang = locale;
		try {
			localStorage.setItem(storageKey, locale);
		} catch {
			// Not remembered on this browser; the server keeps the user's choice anyway.
		}
	}

	t = <K extends MessageKey>(key: K, ...args: Args<K>): string => {
		const template: string = dictionaries[this.#locale][key] ?? key;
		const params = args[0] as Record<string, string | number> | undefined;
		if (!params) return template;
		return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
			name in params ? String(params[name]) : whole
		);
	};

	/** A calendar date (`2025-03-31` or a timestamp) in the interface language. */
	date = (value: string | Date): string => {
		const date =
			typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
				? new Date(`${value}T00:00:00`)
				: new Date(value);
		return new Intl.DateTimeFormat(this.intlLocale, {
			day: '2-digit',
			month: 'short',
			year: 'numeric'
		}).format(date);
	};

	time = (value: string | number | Date): string =>
		new Intl.DateTimeFormat(this.intlLocale, {
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit'
		}).format(new Date(value));

	/** An instant as "04 mar 2026 12:30" in a declared zone (a service centre's calendar), never the browser's. */
	instant = (
		value: string | number | Date,
		timeZone: string,
		part: 'date-time' | 'time' = 'date-time'
	): string => formatInstant(value, this.intlLocale, timeZone, part);

	number = (value: number): string => new Intl.NumberFormat(this.intlLocale).format(value);
}

export const i18n = new I18n();
/** Reads the current locale, so a template that calls it re-renders when the language changes. */
export const t = i18n.t;
