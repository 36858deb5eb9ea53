import { describe, expect, it } from 'vitest';
import type { TicketRow } from './tickets-api';
import { belongsToView, byUrgency } from './views';

const me = '00000000-0000-4000-8000-000000000001';
const someoneElse = '00000000-0000-4000-8000-000000000002';
const myGroup = '00000000-0000-4000-8000-0000000000a1';
const otherGroup = '00000000-0000-4000-8000-0000000000a2';
const viewer = { userId: me, myGroupIds: [myGroup] };

function row(patch: Partial<TicketRow> = {}): TicketRow {
	return {
		id: '00000000-0000-4000-8000-000000000100',
		number: 'AT-2026-000001',
		version: 1,
		serviceCenterId: '00000000-0000-4000-8000-0000000000c1',
		title: 'Macchina ferma',
		status: 'new',
		priority: 'normal',
		origin: 'phone',
		customerId: '00000000-0000-4000-8000-0000000000d1',
		customerName: 'Officine Rossi',
		customerBlocked: false,
		machineId: null,
		serviceLevel: null,
		categoryId: null,
		categoryName: null,
		ownerId: null,
		ownerName: null,
		groupId: null,
		groupName: null,
		openedAt: '2026-03-09T08:00:00.000Z',
		statusChangedAt: '2026-03-09T08:00:00.000Z',
		updatedAt: '2026-03-09T08:00:00.000Z',
		slaFirstResponseDueAt: null,
		slaFirstResponseWarningAt: null,
		slaFirstRespondedAt: null,
		slaFirstResponseBreached: false,
		slaResolutionDueAt: null,
		slaResolutionWarningAt: null,
		slaResolutionBreached: false,
		slaNextDeadline: null,
		slaNextDueAt: null,
		slaNextWarningAt: null,
		slaPaused: false,
		slaBreached: false,
		...patch
	};
}

const viewsOf = (r: TicketRow) =>
	(['to_take', 'mine', 'my_groups', 'to_assign', 'open', 'breached'] as const).filter((v) =>
		belongsToView(r, v, viewer)
	);

describe('belongsToView', () => {
	it('puts a ticket with neither owner nor group in "to assign"', () => {
		expect(viewsOf(row())).toEqual(['to_assign', 'open']);
	});

	it('puts an unowned ticket of my group in "to take", of another group only in "open"', () => {
		expect(viewsOf(row({ groupId: myGroup }))).toEqual(['to_take', 'my_groups', 'open']);
		expect(viewsOf(row({ groupId: otherGroup }))).toEqual(['open']);
	});

	it('moves a taken ticket to "mine", and out of everyone else\'s "to take"', () => {
		expect(viewsOf(row({ groupId: myGroup, ownerId: me, status: 'in_progress' }))).toEqual([
			'mine',
			'my_groups',
			'open'
		]);
		expect(viewsOf(row({ groupId: myGroup, ownerId: someoneElse }))).toEqual(['my_groups', 'open']);
	});

	it('lists breached tickets, and drops resolved and closed ones from every view', () => {
		expect(viewsOf(row({ slaBreached: true }))).toContain('breached');
		expect(viewsOf(row({ status: 'resolved', slaBreached: true }))).toEqual([]);
		expect(viewsOf(row({ status: 'closed', ownerId: me }))).toEqual([]);
	});
});

describe('byUrgency', () => {
	it('sorts by next deadline, paused or without a deadline last, then oldest, then id', () => {
		const soon = row({ id: 'b', slaNextDueAt: '2026-03-09T09:00:00.000Z' });
		const later = row({ id: 'a', slaNextDueAt: '2026-03-09T10:00:00.000Z' });
		const paused = row({ id: 'c', slaPaused: true, openedAt: '2026-03-01T08:00:00.000Z' });
		const older = row({ id: 'e', openedAt: '2026-03-08T08:00:00.000Z' });
		const sameAsLater = row({ id: 'd', slaNextDueAt: '2026-03-09T10:00:00.000Z' });
		expect([paused, older, later, sameAsLater, soon].sort(byUrgency).map((r) => r.id)).toEqual([
			'b',
			'a',
			'd',
			'c',
			'e'
		]);
	});
});
