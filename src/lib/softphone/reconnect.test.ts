import { describe, expect, it } from 'vitest';
import { reconnectDelay } from './reconnect';

describe('reconnectDelay', () => {
	it('grows exponentially with jitter and stays under the cap', () => {
		expect(reconnectDelay(0, {}, () => 0)).toBe(250);
		expect(reconnectDelay(0, {}, () => 1)).toBe(500);
		expect(reconnectDelay(3, {}, () => 1)).toBe(4000);
		expect(reconnectDelay(30, {}, () => 1)).toBe(30_000);
		expect(reconnectDelay(30, {}, () => 0)).toBe(15_000);
	});
});
