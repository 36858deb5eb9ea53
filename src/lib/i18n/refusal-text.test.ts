import { afterAll, describe, expect, it } from 'vitest';
import { ApiError } from '$lib/api/client';
import { i18n } from './i18n.svelte';
import { fieldErrorText, refusalText } from './refusal-text';

// i18n.use() sets <html lang>: the unit project runs without a DOM.
Object.assign(globalThis, { document: { documentElement: {} } });
afterAll(() => i18n.use('it'));

const refused = (field: string | undefined, detail: ApiError['detail'], status = 400) =>
	new ApiError(
		status,
		status === 409 ? 'conflict' : 'bad_request',
		`${field}: some English text`,
		field,
		detail
	);

describe('fieldErrorText', () => {
	it('says a refused field in Italian with the form’s own label, never the server’s English', () => {
		i18n.use('it');
		const error = refused('name', { issue: 'too_big', limit: 120, unit: 'characters' });
		expect(fieldErrorText(error, { name: 'Nome' })).toBe('«Nome» può avere al massimo 120 caratteri');
		expect(
			fieldErrorText(refused('title', { issue: 'too_small', limit: 3, unit: 'characters' }), {
				title: 'Titolo'
			})
		).toBe('«Titolo» deve avere almeno 3 caratteri');
		expect(
			fieldErrorText(refused('note', { issue: 'too_big', limit: 20_000, unit: 'characters' }), {
				note: 'Nota'
			})
		).toBe('«Nota» può avere al massimo 20.000 caratteri');
		expect(fieldErrorText(refused('recipients', { issue: 'too_small', limit: 1, unit: 'items' }), {})).toBe(
			'Compila «recipients»'
		);
		expect(
			fieldErrorText(refused('minutes', { issue: 'too_big', limit: 10_000 }), { minutes: 'Minuti' })
		).toBe('«Minuti» può valere al massimo 10.000');
		expect(fieldErrorText(refused('email', { issue: 'invalid_format' }), { email: 'E-mail' })).toBe(
			'«E-mail» non è scritto in un formato valido'
		);
		expect(fieldErrorText(refused('code', { issue: 'taken' }), { code: 'Codice' })).toBe(
			'«Codice»: questo valore è già usato'
		);
		expect(fieldErrorText(refused('lastName', { issue: 'required' }), { lastName: 'Cognome' })).toBe(
			'Compila «Cognome»'
		);
	});

	it('says the same in English', () => {
		i18n.use('en');
		const error = refused('name', { issue: 'too_big', limit: 120, unit: 'characters' });
		expect(fieldErrorText(error, { name: 'Name' })).toBe('“Name” can have at most 120 characters');
		expect(fieldErrorText(refused('priority', { issue: 'invalid_value' }), { priority: 'Priority' })).toBe(
			'“Priority”: value not allowed'
		);
		i18n.use('it');
	});

	it('names a nested field by its last part, and a reason it does not know as not accepted', () => {
		i18n.use('it');
		expect(
			fieldErrorText(refused('config.timeZone', { issue: 'invalid' }), { timeZone: 'Fuso orario' })
		).toBe('«Fuso orario»: valore non accettato');
		expect(fieldErrorText(refused('title', {}), { title: 'Titolo' })).toBe('«Titolo»: valore non accettato');
		expect(fieldErrorText(refused(undefined, { issue: 'unknown_field' }))).toBe(
			'Richiesta non accettata: ricarica la pagina e riprova'
		);
	});
});

describe('refusalText', () => {
	it('tells the network, a role, a concurrent change and a refused field apart', () => {
		i18n.use('it');
		expect(refusalText(new ApiError(0, 'network', 'fetch failed'))).toBe('Server non raggiungibile');
		expect(refusalText(new ApiError(403, 'forbidden', 'You are not allowed to do this'))).toBe(
			'Il tuo ruolo non permette questa operazione'
		);
		expect(refusalText(refused('version', {}, 409))).toBe(
			'Il dato è stato modificato da qualcun altro: ricaricato'
		);
		expect(refusalText(refused('name', { issue: 'taken' }, 409), { name: 'Nome' })).toBe(
			'«Nome»: questo valore è già usato'
		);
		expect(refusalText(new Error('boom'))).toBe('Si è verificato un errore: riprova');
	});
});
