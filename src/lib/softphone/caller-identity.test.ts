import { describe, expect, it } from 'vitest';
import { answerAfter, callerIdentity, parseNameAddr } from './caller-identity';

describe('callerIdentity', () => {
	it('prefers P-Asserted-Identity, and its tel: URI, over From', () => {
		const id = callerIdentity({
			pai: [
				'"Mario Rossi" <sip:+390212345678@10.0.0.1;user=phone>, <tel:+390212345678;verstat=TN-Validation-Passed>'
			],
			rpid: [],
			from: '"Anonymous" <sip:anonymous@anonymous.invalid>;tag=1'
		});
		expect(id).toEqual({
			number: '+390212345678',
			displayName: 'Mario Rossi',
			source: 'pai',
			verstat: 'TN-Validation-Passed'
		});
	});

	it('falls back to Remote-Party-ID, then From', () => {
		expect(
			callerIdentity({
				pai: [],
				rpid: ['"Ufficio" <sip:0351234567@pbx>;party=calling;screen=yes'],
				from: '<sip:100@pbx>;tag=x'
			})
		).toMatchObject({ number: '0351234567', displayName: 'Ufficio', source: 'rpid' });
		expect(
			callerIdentity({ pai: [], rpid: [], from: '"Rossi, Mario" <sip:0212345678@pbx.test>;tag=9' })
		).toEqual({
			number: '0212345678',
			displayName: 'Rossi, Mario',
			source: 'from',
			verstat: null
		});
	});

	it('reads verstat from the From user part when the PBX puts it there', () => {
		expect(
			callerIdentity({
				pai: [],
				rpid: [],
				from: '<sip:+390612345678;verstat=TN-Validation-Failed@pbx>;tag=1'
			})
		).toMatchObject({ number: '+390612345678', verstat: 'TN-Validation-Failed' });
	});

	it('parses bare URIs and rejects garbage', () => {
		expect(parseNameAddr('sip:1002@pbx.test;transport=ws')).toMatchObject({
			user: '1002',
			displayName: null
		});
		expect(parseNameAddr('nonsense')).toBeNull();
	});
});

describe('answerAfter', () => {
	it('reads the auto-answer delay from Call-Info', () => {
		expect(answerAfter(['<sip:pbx.test>;answer-after=0'])).toBe(0);
		expect(answerAfter(['<http://x/info>;purpose=info', '<sip:x>; answer-after = 3'])).toBe(3);
		expect(answerAfter([])).toBeNull();
	});
});
