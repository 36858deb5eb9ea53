import { describe, expect, it } from 'vitest';
import { withoutRowValues } from './database';

describe("the embedded server's log", () => {
	it('drops the lines that quote a row or a statement, keeps the error itself', () => {
		const output = [
			'2026-03-02 09:00:00.000 CET [4242] ERROR:  null value in column "display_name" violates not-null constraint',
			'2026-03-02 09:00:00.000 CET [4242] DETAIL:  Failing row contains (1, alice, null, scrypt$65536$8$1$c2FsdA==$a2V5).',
			'2026-03-02 09:00:00.000 CET [4242] STATEMENT:  insert into "users" values ($1, $2, $3)',
			''
		].join('\n');
		expect(withoutRowValues(output)).toEqual([
			'2026-03-02 09:00:00.000 CET [4242] ERROR:  null value in column "display_name" violates not-null constraint'
		]);
	});
});
