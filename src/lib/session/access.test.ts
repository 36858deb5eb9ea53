import { describe, expect, it } from 'vitest';
import { canOpen, homeOf, navigationFor, screenAt } from './access';

describe('role access', () => {
	it('sends each role to its own home', () => {
		expect(homeOf(['agent'])).toBe('/agent');
		expect(homeOf(['dispatcher'])).toBe('/dispatch');
		expect(homeOf(['supervisor'])).toBe('/wallboard');
		expect(homeOf(['admin'])).toBe('/admin');
		expect(homeOf(['technician'])).toBe('/technician');
		expect(homeOf([])).toBeNull();
	});

	it('picks the first home a user with several roles is allowed', () => {
		expect(homeOf(['admin', 'agent'])).toBe('/agent');
		expect(homeOf(['technician', 'supervisor'])).toBe('/wallboard');
	});

	it('lists only the screens a role can use', () => {
		expect(navigationFor(['technician']).map((s) => s.id)).toEqual(['technician']);
		expect(navigationFor(['admin']).map((s) => s.id)).toEqual(['wallboard', 'tickets', 'calls', 'admin']);
		expect(canOpen(['agent'], 'admin')).toBe(false);
		expect(canOpen(['agent'], 'customer')).toBe(true);
	});

	it('maps paths to screens', () => {
		expect(screenAt('/customers/2b1c')).toBe('customer');
		expect(screenAt('/admin')).toBe('admin');
		expect(screenAt('/administrators')).toBeNull();
		expect(screenAt('/')).toBeNull();
	});
});
