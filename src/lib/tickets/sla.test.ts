import { describe, expect, it } from 'vitest';
import { clockFace, countdownOf, deadlineState, spanOf } from './sla';

const now = Date.parse('2026-03-09T10:00:00Z');
const iso = (offsetMs: number) => new Date(now + offsetMs).toISOString();

describe('countdownOf', () => {
	it('counts down to the next deadline, amber after its warning, red once due', () => {
		const row = { slaNextDueAt: iso(60_000), slaNextWarningAt: iso(30_000), slaPaused: false };
		expect(countdownOf(row, now)).toEqual({ tone: 'ok', remainingMs: 60_000 });
		expect(countdownOf(row, now + 30_000)).toEqual({ tone: 'warning', remainingMs: 30_000 });
		expect(countdownOf(row, now + 60_000)).toEqual({ tone: 'overdue', remainingMs: 0 });
		expect(countdownOf(row, now + 720_000).remainingMs).toBe(-660_000);
	});

	it('stands still while paused, and shows nothing without a deadline', () => {
		expect(countdownOf({ slaNextDueAt: null, slaNextWarningAt: null, slaPaused: true }, now).tone).toBe(
			'paused'
		);
		expect(countdownOf({ slaNextDueAt: null, slaNextWarningAt: null, slaPaused: false }, now).tone).toBe(
			'none'
		);
	});
});

describe('deadlineState', () => {
	const base = {
		dueAt: iso(3_600_000),
		warningAt: iso(2_700_000),
		doneAt: null,
		breached: false,
		paused: false
	};

	it('is met or missed once honoured', () => {
		expect(deadlineState({ ...base, doneAt: iso(-1000) }, now).tone).toBe('met');
		expect(deadlineState({ ...base, doneAt: iso(-1000), breached: true }, now).tone).toBe('missed');
	});

	it('counts down, and a breach stays red even if the deadline moved on', () => {
		expect(deadlineState(base, now)).toEqual({ tone: 'ok', remainingMs: 3_600_000 });
		expect(deadlineState({ ...base, breached: true }, now).tone).toBe('overdue');
		expect(deadlineState({ ...base, paused: true }, now).tone).toBe('paused');
	});
});

describe('spanOf and clockFace', () => {
	it('rounds up to the second, so a countdown never shows 00:00 before the deadline', () => {
		expect(clockFace(spanOf(500))).toBe('00:01');
		expect(clockFace(spanOf(42 * 60_000 + 5000))).toBe('42:05');
		expect(clockFace(spanOf(3 * 3_600_000 + 42 * 60_000 + 5000))).toBe('3:42:05');
		expect(spanOf(2 * 86_400_000 + 3_600_000)).toEqual({ days: 2, hours: 1, minutes: 0, seconds: 0 });
		// Next to days the hours are always there, or "1 g 12:43" would read as 12 hours.
		expect(clockFace(spanOf(86_400_000 + 12 * 60_000 + 43_000))).toBe('00:12:43');
		expect(spanOf(-12 * 60_000)).toEqual({ days: 0, hours: 0, minutes: 12, seconds: 0 });
	});
});
