import { describe, expect, it } from 'vitest';
import { localToday, warrantyOf } from './warranty';

describe('warrantyOf', () => {
	const today = '2025-06-15';

	it('is in warranty until the last covered day, parts or labour', () => {
		expect(warrantyOf({ partsWarrantyUntil: '2025-06-15', labourWarrantyUntil: null }, today).state).toBe(
			'in_warranty'
		);
		expect(
			warrantyOf({ partsWarrantyUntil: '2025-01-01', labourWarrantyUntil: '2026-01-01' }, today)
		).toEqual({
			state: 'in_warranty',
			parts: { until: '2025-01-01', active: false },
			labour: { until: '2026-01-01', active: true }
		});
	});

	it('is expired once every cover has ended, and none without dates', () => {
		expect(
			warrantyOf({ partsWarrantyUntil: '2025-06-14', labourWarrantyUntil: '2024-01-01' }, today).state
		).toBe('expired');
		expect(warrantyOf({ partsWarrantyUntil: null, labourWarrantyUntil: null }, today).state).toBe('none');
	});

	it('formats today as a local calendar date', () => {
		expect(localToday(new Date(2025, 0, 5, 23, 30))).toBe('2025-01-05');
	});
});
