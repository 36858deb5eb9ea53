import type { CallEventType, CallOutcome, CallState } from '../../db/schema/calls';

export interface ProjectedEvent {
	type: CallEventType;
	at: Date;
	agentId: string | null;
	queue?: string | null;
	transferTarget?: string | null;
	receivedAt?: Date;
}

export interface CallFacts {
	state: CallState;
	offeredAt: Date;
	answeredAt: Date | null;
	endedAt: Date | null;
	talkSeconds: number | null;
	holdSeconds: number;
	outcome: CallOutcome | null;
	queue: string | null;
	agentId: string | null;
	transferredTo: string | null;
}

/** Same instant: the order a call goes through, so "answered" and "ended" in one second still read right. */
const lifecycle: Record<CallEventType, number> = {
	offered: 0,
	queued: 1,
	ringing: 2,
	answered: 3,
	held: 4,
	resumed: 5,
	transferred: 6,
	ended: 7,
	abandoned: 7,
	rejected: 7,
	missed: 7
};

const terminal = new Set<CallEventType>(['ended', 'abandoned', 'rejected', 'missed']);

export function sortEvents<E extends ProjectedEvent>(events: readonly E[]): E[] {
	return [...events].sort(
		(a, b) =>
			a.at.getTime() - b.at.getTime() ||
			lifecycle[a.type] - lifecycle[b.type] ||
			(a.receivedAt?.getTime() ?? 0) - (b.receivedAt?.getTime() ?? 0)
	);
}

/**
 * A call row from its events, whatever order they arrived in: sorted by `at`, folded once. The
 * first terminal event ends the call; later ones (a PBX's "ended" after "abandoned") change nothing.
 */
export function projectCall(events: readonly ProjectedEvent[]): CallFacts {
	if (events.length === 0) throw new Error('a call needs at least one event');
	const sorted = sortEvents(events);
	let answeredAt: Date | null = null;
	let endedAt: Date | null = null;
	let ending: CallEventType | null = null;
	let heldSince: Date | null = null;
	let holdMs = 0;
	let queue: string | null = null;
	let answeringAgent: string | null = null;
	let ringingAgent: string | null = null;
	let transferredTo: string | null = null;
	let transferred = false;
	let queued = false;
	for (const event of sorted) {
		if (event.queue) queue = event.queue;
		if (endedAt) continue;
		switch (event.type) {
			case 'queued':
				queued = true;
				break;
			case 'offered':
			case 'ringing':
				if (event.agentId) ringingAgent = event.agentId;
				break;
			case 'answered':
				if (!answeredAt) {
					answeredAt = event.at;
					answeringAgent = event.agentId ?? ringingAgent;
				}
				break;
			case 'held':
				heldSince ??= event.at;
				break;
			case 'resumed':
				if (heldSince) holdMs += event.at.getTime() - heldSince.getTime();
				heldSince = null;
				break;
			case 'transferred':
				transferred = true;
				transferredTo = event.transferTarget ?? transferredTo;
				break;
			default:
				if (terminal.has(event.type)) {
					endedAt = event.at;
					ending = event.type;
				}
		}
	}
	if (heldSince && endedAt) {
		holdMs += endedAt.getTime() - heldSince.getTime();
		heldSince = null;
	}
	const holdSeconds = Math.round(holdMs / 1000);
	let outcome: CallOutcome | null = null;
	if (endedAt) {
		if (answeredAt) outcome = transferred ? 'transferred' : 'answered';
		else if (ending === 'abandoned') outcome = 'abandoned';
		else if (ending === 'rejected') outcome = 'rejected';
		else outcome = 'missed';
	}
	const talkSeconds =
		answeredAt && endedAt
			? Math.max(0, Math.round((endedAt.getTime() - answeredAt.getTime()) / 1000) - holdSeconds)
			: null;
	const state: CallState = endedAt
		? 'ended'
		: heldSince
			? 'held'
			: answeredAt
				? 'talking'
				: queued && !ringingAgent
					? 'queued'
					: 'ringing';
	return {
		state,
		offeredAt: sorted[0].at,
		answeredAt,
		endedAt,
		talkSeconds,
		holdSeconds,
		outcome,
		queue,
		agentId: answeringAgent ?? ringingAgent,
		transferredTo
	};
}
