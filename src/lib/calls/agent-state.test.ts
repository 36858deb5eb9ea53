import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AgentStateEntry } from './calls-api';

/** Snapshots asked for and not answered yet, oldest first: the test answers them in any order. */
let pending: Array<(entries: AgentStateEntry[]) => void> = [];

vi.mock('./calls-api', () => ({
	listAgentStates: () => new Promise<AgentStateEntry[]>((resolve) => pending.push(resolve)),
	myAgentState: vi.fn()
}));
vi.mock('$lib/realtime/socket.svelte', () => ({
	realtime: { on: () => () => undefined, onResync: () => () => undefined }
}));

const { AgentBoard } = await import('./agent-state.svelte');

const paola = (state: AgentStateEntry['state'], version: number): AgentStateEntry => ({
	userId: '5b0f7d4e-4a77-4b59-9d0e-2f3c1a6a9e01',
	username: 'paola.greco',
	displayName: 'Paola Greco',
	extension: '2201',
	teamId: null,
	state,
	reason: state === 'break' ? 'coffee' : null,
	since: '2026-03-04T09:00:00.000Z',
	callId: null,
	wrapUpUntil: null,
	version
});

beforeEach(() => {
	pending = [];
});

describe('AgentBoard', () => {
	it('keeps a state pushed while the snapshot was on its way, when it is newer', async () => {
		const board = new AgentBoard();
		const loading = board.load();
		board.apply(paola('available', 3));
		pending[0]([paola('break', 2)]);
		await loading;
		expect(board.agents.map((agent) => [agent.state, agent.version])).toEqual([['available', 3]]);
	});

	it('takes the snapshot where it is newer than what was pushed', async () => {
		const board = new AgentBoard();
		board.apply(paola('break', 2));
		const loading = board.load();
		pending[0]([paola('on_call', 4)]);
		await loading;
		expect(board.agents.map((agent) => agent.state)).toEqual(['on_call']);
	});

	it('ignores a snapshot that answers after a later one', async () => {
		const board = new AgentBoard();
		const first = board.load();
		const second = board.load();
		pending[1]([paola('available', 5)]);
		await second;
		pending[0]([paola('break', 4)]);
		await first;
		expect(board.agents.map((agent) => agent.state)).toEqual(['available']);
		expect(board.loading).toBe(false);
	});
});
