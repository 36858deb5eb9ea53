import { describe, expect, it } from 'vitest';
import { draftTarget, targetTable, targetsOf } from './sla-targets';

const stored = [
	{ priority: 'urgent' as const, serviceLevel: null, firstResponseMinutes: 60, resolutionMinutes: 480 },
	{
		priority: 'urgent' as const,
		serviceLevel: 'premium' as const,
		firstResponseMinutes: 30,
		resolutionMinutes: 240
	}
];

describe('SLA targets table', () => {
	it('shows minutes as hours and gives back the same targets', () => {
		const table = targetTable(stored);
		expect(table.urgent.default).toEqual({ firstResponseHours: 1, resolutionHours: 8 });
		expect(table.urgent.premium).toEqual({ firstResponseHours: 0.5, resolutionHours: 4 });
		expect(table.high.default).toEqual({ firstResponseHours: null, resolutionHours: null });
		expect(targetsOf(table)).toEqual({ targets: stored, incomplete: null });
	});

	it('reports a half-filled cell instead of saving it', () => {
		const table = targetTable(stored);
		table.low.basic.firstResponseHours = 2;
		expect(targetsOf(table)).toEqual({ targets: null, incomplete: { priority: 'low', column: 'basic' } });
	});

	it('previews the service level override, else the default of the priority', () => {
		const table = targetTable(stored);
		expect(draftTarget(table, 'urgent', 'premium')).toEqual({
			firstResponseMinutes: 30,
			resolutionMinutes: 240
		});
		expect(draftTarget(table, 'urgent', 'basic')).toEqual({
			firstResponseMinutes: 60,
			resolutionMinutes: 480
		});
		table.urgent.default.resolutionHours = 1.5;
		expect(draftTarget(table, 'urgent', null)).toEqual({ firstResponseMinutes: 60, resolutionMinutes: 90 });
		expect(draftTarget(table, 'high', null)).toBeNull();
	});
});
