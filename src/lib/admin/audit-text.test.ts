import { describe, expect, it } from 'vitest';
import { changeLines } from './audit-text';

describe('an audit entry in words', () => {
	it('names references, translates roles and access, and shows secrets only as changed', () => {
		const lines = changeLines({
			changes: {
				roles: { from: ['agent'], to: ['agent', 'supervisor'] },
				team: { from: null, to: { id: 'x', name: 'Centrale operativa' } },
				access: { from: 'open', to: 'reserved' },
				sipPassword: { from: true, to: true },
				password: { from: true, to: true },
				groups: { from: [{ id: 'g', name: 'AT · Primo livello' }], to: [] }
			}
		});
		// In the forms' order, whatever order the stored JSON keeps.
		expect(lines).toEqual([
			{ field: 'roles', label: 'Ruoli', from: 'Operatore', to: 'Operatore, Supervisore' },
			{ field: 'team', label: 'Squadra', from: '—', to: 'Centrale operativa' },
			{ field: 'groups', label: 'Gruppi', from: 'AT · Primo livello', to: '—' },
			{ field: 'sipPassword', label: 'Password SIP', from: null, to: 'cambiata' },
			{ field: 'password', label: 'Password', from: null, to: 'cambiata' },
			{ field: 'access', label: 'Accesso', from: 'Aperto', to: 'Riservato' }
		]);
		expect(changeLines({ changes: { sipPassword: { from: true, to: false } } })[0].to).toBe('rimossa');
	});
});
