import { eq } from 'drizzle-orm';
import { users } from '../../db/schema';
import { agentOnExtension } from '../calls/agent-states.service';
import { authorize, can } from '../auth/policy';
import type { ServiceArgs } from '../core/context';
import { AppError, conflict, forbidden } from '../core/errors';
import type { DemoCalls } from './demo-calls';
import type { DemoCallInput, DemoCallStarted, DemoCallStreamInput, DemoStatus } from './demo.schemas';

type DemoArgs<I> = ServiceArgs<I> & { demo: DemoCalls | undefined };

/** No switchboard: a real PBX is configured, and simulated calls do not exist. */
function requireDemo(demo: DemoCalls | undefined): DemoCalls {
	if (!demo)
		throw new AppError('not_found', 'There are no demo calls: a real PBX is configured (SIP_WS_URL)');
	return demo;
}

/**
 * A simulated customer calls: an agent asks for one to itself; a supervisor or administrator to
 * any extension, or to the ACD when `to` is missing.
 */
export async function startDemoCall({ ctx, input, demo }: DemoArgs<DemoCallInput>): Promise<DemoCallStarted> {
	authorize(ctx.actor, 'demo:call_self');
	if (ctx.actor.kind !== 'user') throw forbidden('Only a signed-in user asks for demo calls');
	const [me] = await ctx.db
		.select({ extension: users.sipExtension })
		.from(users)
		.where(eq(users.id, ctx.actor.userId));
	const mayCallAnyone = can(ctx.actor, 'demo:call_any');
	const to = input.to ?? (mayCallAnyone ? null : me?.extension);
	if (to === undefined || to === '') throw forbidden('You have no SIP extension: ask an administrator');
	if (to !== null && to !== me?.extension && !mayCallAnyone)
		throw forbidden('An agent may ask for demo calls to its own extension only');
	const calls = requireDemo(demo);

	if (to !== null) {
		if (!calls.switchboard.isRegistered(to))
			throw conflict(`Extension ${to} is not registered on the demo switchboard`, 'to');
		const agent = await agentOnExtension(ctx.db, to);
		if (agent && agent.state !== 'available')
			throw conflict(`Extension ${to} is not available (${agent.state})`, 'to');
	} else if ((await calls.reachableAgents()).length === 0) {
		throw conflict('No agent is available: nobody is registered and available', 'to');
	}
	const caller = await calls.pickCaller();
	if (!caller) throw conflict('No demo customer has a phone number to call from');
	const callId = calls.start(caller, to);
	return { callId, from: caller.number, customerId: caller.customerId };
}

export async function getDemoStatus({ ctx, demo }: DemoArgs<void>): Promise<DemoStatus> {
	authorize(ctx.actor, 'demo:call_any');
	const calls = requireDemo(demo);
	return {
		sip: { wsUrl: calls.wsUrl, domain: calls.switchboard.domain },
		registered: calls.switchboard.registeredExtensions().sort(),
		reachable: await calls.reachableAgents(),
		stream: calls.stream,
		liveCalls: calls.liveCalls
	};
}

export async function setDemoCallStream({
	ctx,
	input,
	demo
}: DemoArgs<DemoCallStreamInput>): Promise<DemoStatus> {
	authorize(ctx.actor, 'demo:call_any');
	requireDemo(demo).streamEvery(input.everySeconds);
	return getDemoStatus({ ctx, input: undefined, demo });
}
