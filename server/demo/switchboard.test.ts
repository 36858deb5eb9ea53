import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSip, type SipResponse } from './sip-message';
import { DemoSwitchboard, type SipConnection } from './switchboard';

function connection(extension: string | null, user = true) {
	const sent: string[] = [];
	const c: SipConnection = {
		id: `c-${Math.random()}`,
		user: user ? { userId: `u-${extension}`, extension, mayCallAsCustomer: false } : null,
		send: (text) => sent.push(text)
	};
	return { c, sent };
}

/** The status of an answer the switchboard sent. */
const statusOf = (text: string | undefined) => (parseSip(text ?? '') as SipResponse | null)?.statusCode;

const register = (extension: string, host: string) =>
	[
		`REGISTER sip:demo.invalid SIP/2.0`,
		`Via: SIP/2.0/WSS ${host};branch=z9hG4bK${host.length}r`,
		'Max-Forwards: 70',
		`To: <sip:${extension}@demo.invalid>`,
		`From: <sip:${extension}@demo.invalid>;tag=f1`,
		`Call-ID: reg-${host}`,
		'CSeq: 1 REGISTER',
		`Contact: <sip:x@${host};transport=ws>;expires=300`,
		'Content-Length: 0',
		'',
		''
	].join('\r\n');

const invite = (from: string, to: string, host: string, extra: string[] = []) =>
	[
		`INVITE sip:${to}@demo.invalid SIP/2.0`,
		`Via: SIP/2.0/WSS ${host};branch=z9hG4bKinv${host.length}`,
		'Max-Forwards: 70',
		`To: <sip:${to}@demo.invalid>`,
		`From: <sip:${from}@demo.invalid>;tag=t1`,
		`Call-ID: call-${host}`,
		'CSeq: 1 INVITE',
		`Contact: <sip:y@${host};transport=ws>`,
		...extra,
		'Content-Type: application/sdp',
		'Content-Length: 3',
		'',
		'v=0'
	].join('\r\n');

describe('the demo switchboard', () => {
	it('registers only the own extension and forks an INVITE to it, answered once', () => {
		const board = new DemoSwitchboard();
		const alice = connection('1001');
		const bob = connection('1002');
		board.receive(alice.c, register('1002', 'alice.invalid'));
		expect(statusOf(alice.sent.pop())).toBe(403);
		board.receive(bob.c, register('1002', 'bob.invalid'));
		expect(statusOf(bob.sent.pop())).toBe(200);
		expect(board.isRegistered('1002')).toBe(true);

		board.receive(alice.c, invite('1001', '1002', 'alice.invalid', ['P-Asserted-Identity: <sip:+39021@x>']));
		expect(statusOf(alice.sent.pop())).toBe(100);
		const forwarded = parseSip(bob.sent.pop()!);
		expect(forwarded?.method).toBe('INVITE');
		expect(forwarded?.getHeader('P-Asserted-Identity')).toBeUndefined();
		expect(forwarded?.getHeaders('Via')).toHaveLength(2);
		expect(forwarded?.getHeader('Record-Route')).toContain('switchboard.demo.invalid');

		board.disconnected(bob.c);
		expect(board.isRegistered('1002')).toBe(false);
		// The callee's socket went away while it rang: the caller hears 480, not silence.
		expect(statusOf(alice.sent.pop())).toBe(480);
	});

	it('never throws on garbage, and every answer it gives is SIP', () => {
		const board = new DemoSwitchboard();
		const agent = connection('1001');
		const customer = connection(null, false);
		board.receive(agent.c, register('1001', 'agent.invalid'));
		const message = fc.oneof(
			fc.string({ maxLength: 400 }),
			fc
				.tuple(
					fc.constantFrom(invite('1009', '1001', 'c.invalid'), register('1001', 'a.invalid')),
					fc.nat(400),
					fc.string({ maxLength: 40 })
				)
				.map(([text, at, junk]) => text.slice(0, at) + junk + text.slice(at))
		);
		fc.assert(
			fc.property(message, fc.boolean(), (text, fromCustomer) => {
				const who = fromCustomer ? customer : agent;
				const before = who.sent.length;
				expect(() => board.receive(who.c, text)).not.toThrow();
				for (const reply of who.sent.slice(before))
					if (reply !== '\r\n') expect(parseSip(reply)).not.toBeNull();
			}),
			{ numRuns: 300 }
		);
	});
});
