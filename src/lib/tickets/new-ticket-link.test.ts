import { describe, expect, it } from 'vitest';
import { newTicketHref, readNewTicketPrefill } from './new-ticket-link';

const customerId = '0b8f3c2e-5a4d-4c1e-9f7a-2d3b4c5d6e7f';

describe('new-ticket links', () => {
	it('round-trips what another screen fills in', () => {
		const href = newTicketHref({ customerId, origin: 'phone', callId: 'call-42', phone: '+390212345678' });
		expect(href).toBe(
			`/tickets/new?customerId=${customerId}&callId=call-42&origin=phone&phone=%2B390212345678`
		);
		const params = new URL(href, 'http://console.test').searchParams;
		expect(readNewTicketPrefill(params)).toEqual({
			customerId,
			callId: 'call-42',
			origin: 'phone',
			phone: '+390212345678'
		});
	});

	it('is the bare form without a prefill', () => {
		expect(newTicketHref()).toBe('/tickets/new');
	});

	it('keeps a long title whole, for the form to say it is too long (issue 17)', () => {
		const title = 'x'.repeat(250);
		expect(readNewTicketPrefill(new URLSearchParams({ title })).title).toBe(title);
	});

	it('drops malformed ids and unknown origins', () => {
		const params = new URLSearchParams({ customerId: 'not-a-uuid', origin: 'fax', machineId: customerId });
		expect(readNewTicketPrefill(params)).toEqual({ machineId: customerId });
	});
});
