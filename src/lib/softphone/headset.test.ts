import { describe, expect, it } from 'vitest';
import { mapFields, usages } from './headset';

describe('mapFields', () => {
	it('finds the hook switch and mute bits in a telephony report descriptor', () => {
		const fields = mapFields(
			[
				{
					usagePage: 0x0b,
					usage: 0x05,
					inputReports: [
						{
							reportId: 2,
							items: [
								{ usages: [usages.hookSwitch], reportSize: 1, reportCount: 1 },
								{ usages: [usages.phoneMute], reportSize: 1, reportCount: 1 },
								{ usages: [], reportSize: 6, reportCount: 1 }
							]
						}
					],
					children: [
						{
							outputReports: [
								{
									reportId: 3,
									items: [{ usages: [usages.offHookLed, usages.muteLed], reportSize: 1, reportCount: 2 }]
								}
							]
						}
					]
				}
			],
			'inputReports'
		);
		expect(fields.get(usages.hookSwitch)).toEqual({ reportId: 2, bitOffset: 0, bitSize: 1 });
		expect(fields.get(usages.phoneMute)).toEqual({ reportId: 2, bitOffset: 1, bitSize: 1 });
	});
});
