import type { AgentStateEntry, CallLogEntry, CallListQuery, WrapUpInput } from '$server/calls/calls.schemas';
import { api, call } from '$lib/api/client';

export type { AgentStateEntry, CallLogEntry, WrapUpInput };
export type CallView = CallListQuery['view'];

export async function listCalls(query: {
	view: CallView;
	before?: string;
	limit?: number;
}): Promise<CallLogEntry[]> {
	const result = await call(() =>
		api.calls.$get({
			query: {
				view: query.view,
				limit: String(query.limit ?? 50),
				...(query.before ? { before: query.before } : {})
			}
		})
	);
	return result.items;
}

export function wrapUpCall(id: string, input: WrapUpInput): Promise<CallLogEntry> {
	return call(() => api.calls[':id'].$patch({ param: { id }, json: input }));
}

export function markCallHandled(id: string): Promise<CallLogEntry> {
	return call(() => api.calls[':id'].handled.$post({ param: { id } }));
}

export async function listAgentStates(): Promise<AgentStateEntry[]> {
	return (await call(() => api['agent-states'].$get())).items;
}

export function myAgentState(): Promise<AgentStateEntry> {
	return call(() => api['agent-states'].me.$get());
}
