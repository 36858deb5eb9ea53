import { describe, expect, it } from 'vitest';
import { hitHref } from './hit-href';

const customerId = '00000000-0000-4000-8000-000000000001';
const id = '00000000-0000-4000-8000-000000000002';

describe('hitHref', () => {
	it('opens a ticket on its own page, not its customer', () => {
		expect(hitHref({ kind: 'ticket', id, customerId })).toBe(`/tickets/${id}`);
	});

	it("opens customers, contacts and machines on the customer's page", () => {
		for (const kind of ['customer', 'contact', 'machine'] as const)
			expect(hitHref({ kind, id, customerId })).toBe(`/customers/${customerId}`);
	});

	it('opens nothing for a technician, who has no customer record', () => {
		expect(hitHref({ kind: 'technician', id, customerId: null })).toBeNull();
	});
});
