import { z } from 'zod';

export const iceServer = z.object({
	urls: z.union([z.string(), z.array(z.string())]),
	username: z.string().optional(),
	credential: z.string().optional()
});

/** What sip.js needs to register the signed-in agent: the agent's own identity and the PBX's settings. */
export const softphoneLine = z.object({
	line: z.literal(true),
	/** wss:// (ws:// only for localhost). */
	wsUrl: z.string(),
	domain: z.string(),
	/** sip:<extension>@<domain> */
	uri: z.string(),
	extension: z.string(),
	authorizationUsername: z.string(),
	authorizationPassword: z.string(),
	displayName: z.string(),
	/** Empty: no STUN/TURN at all (a LAN PBX, or the test rig); sip.js' default would ask a public server. */
	iceServers: z.array(iceServer),
	/** The console's demo switchboard, not a PBX: the softphone offers test calls. */
	demo: z.boolean()
});
export type SoftphoneLine = z.infer<typeof softphoneLine>;

/**
 * GET /api/softphone/config: the line, or `{line: false}` when the console has no telephony (no
 * PBX and no demo switchboard). That is how the console was set up, not a failure: a 200, so a
 * healthy console logs no failed request.
 */
export const softphoneConfig = z.discriminatedUnion('line', [
	softphoneLine,
	z.object({ line: z.literal(false) })
]);
export type SoftphoneConfig = z.infer<typeof softphoneConfig>;
