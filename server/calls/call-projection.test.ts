import { describe, expect, it } from 'vitest';
import { projectCall, type ProjectedEvent } from './call-projection';

const t0 = Date.parse('2026-03-02T09:00:00Z');
const at = (s: number) => new Date(t0 + s * 1000);
const ev = (
	type: ProjectedEvent['type'],
	s: number,
	extra: Partial<ProjectedEvent> = {}
): ProjectedEvent => ({
	type,
	at: at(s),
	agentId: null,
	...extra
});

describe('projectCall', () => {
	it('computes talk and hold time of an answered call, in any arrival order', () => {
		const events = [
			ev('offered', 0),
			ev('ringing', 1, { agentId: 'a1' }),
			ev('answered', 5, { agentId: 'a1' }),
			ev('held', 20),
			ev('resumed', 30),
			ev('ended', 65)
		];
		const expected = {
			state: 'ended',
			offeredAt: at(0),
			answeredAt: at(5),
			endedAt: at(65),
			holdSeconds: 10,
			talkSeconds: 50,
			outcome: 'answered',
			agentId: 'a1'
		};
		expect(projectCall(events)).toMatchObject(expected);
		expect(projectCall([...events].reverse())).toMatchObject(expected);
		expect(projectCall([events[5], events[2], events[0], events[4], events[1], events[3]])).toMatchObject(
			expected
		);
	});

	it('tells missed, abandoned, rejected and transferred apart', () => {
		expect(projectCall([ev('offered', 0), ev('ended', 20)]).outcome).toBe('missed');
		expect(projectCall([ev('queued', 0, { queue: 'support' }), ev('abandoned', 40)])).toMatchObject({
			outcome: 'abandoned',
			queue: 'support',
			talkSeconds: null
		});
		expect(projectCall([ev('ringing', 0), ev('rejected', 3)]).outcome).toBe('rejected');
		expect(
			projectCall([ev('answered', 0), ev('transferred', 10, { transferTarget: '1002' }), ev('ended', 11)])
		).toMatchObject({ outcome: 'transferred', transferredTo: '1002' });
	});

	it('keeps a call live until it ends, and counts an open hold up to the end', () => {
		expect(projectCall([ev('queued', 0)]).state).toBe('queued');
		expect(projectCall([ev('queued', 0), ev('ringing', 2, { agentId: 'a' })]).state).toBe('ringing');
		expect(projectCall([ev('answered', 0), ev('held', 5)]).state).toBe('held');
		expect(projectCall([ev('answered', 0), ev('held', 5), ev('ended', 15)])).toMatchObject({
			holdSeconds: 10,
			talkSeconds: 5
		});
	});

	it('ignores what comes after the first terminal event', () => {
		const call = projectCall([ev('offered', 0), ev('abandoned', 10), ev('answered', 12), ev('ended', 30)]);
		expect(call).toMatchObject({ outcome: 'abandoned', endedAt: at(10), answeredAt: null });
	});
});
