import { z } from 'zod';

export const demoCallInput = z
	.object({
		to: z
			.string()
			.trim()
			.regex(/^\d{2,8}$/, 'to must be an extension of 2 to 8 digits')
			.optional()
			.describe("The agent's extension; missing: the ACD (available agents, longest idle first)")
	})
	.strict();
export type DemoCallInput = z.infer<typeof demoCallInput>;

export const demoCallStarted = z.object({
	/** The simulated call's id (each agent's leg is logged under its own SIP Call-ID). */
	callId: z.uuid(),
	/** The customer's number, E.164: the caller ID the agent's card looks up. */
	from: z.string(),
	customerId: z.uuid()
});
export type DemoCallStarted = z.infer<typeof demoCallStarted>;

export const demoCallStreamInput = z
	.object({
		everySeconds: z
			.number()
			.int('everySeconds must be a whole number')
			.min(10, 'everySeconds must be at least 10')
			.max(3600, 'everySeconds must be at most 3600')
			.nullable()
			.describe('A new simulated call every N seconds while an agent can take it; null stops it')
	})
	.strict();
export type DemoCallStreamInput = z.infer<typeof demoCallStreamInput>;

export const demoStatus = z.object({
	/** Where a browser opens the switchboard (/demo/phone calls an agent through it). */
	sip: z.object({ wsUrl: z.string(), domain: z.string() }),
	/** Extensions registered on the demo switchboard now. */
	registered: z.array(z.string()),
	/** Of those, the agents the ACD would ring (available), longest idle first. */
	reachable: z.array(z.string()),
	stream: z.object({ everySeconds: z.number().int() }).nullable(),
	liveCalls: z.number().int()
});
export type DemoStatus = z.infer<typeof demoStatus>;
