import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from 'sip.js';
import type { MediaStreamTrack, RtpPacket } from 'werift';
import { loadGreeting } from './greeting';
import {
	muLawToALaw,
	WeriftSessionDescriptionHandler,
	weriftSessionDescriptionHandlerFactory,
	type G711Codec
} from './werift-sdh';

const greeting = loadGreeting();
const handlers: WeriftSessionDescriptionHandler[] = [];

afterEach(() => {
	for (const handler of handlers.splice(0)) handler.close();
});

function caller(codecs?: G711Codec[]) {
	const handler = new WeriftSessionDescriptionHandler({ audio: greeting, codecs });
	handlers.push(handler);
	return handler;
}

/** Every RTP packet that reaches `handler`, and a way to wait for the next ones. */
function receivedBy(handler: WeriftSessionDescriptionHandler) {
	const packets: RtpPacket[] = [];
	const waiters: { count: number; resolve(): void }[] = [];
	const tracks = new Set<MediaStreamTrack>();
	// werift announces the same track again on every negotiation where the remote sends.
	handler.peerConnection.onTrack.subscribe((track) => {
		if (tracks.has(track)) return;
		tracks.add(track);
		track.onReceiveRtp.subscribe((packet) => {
			packets.push(packet);
			for (const waiter of waiters.filter((w) => packets.length >= w.count)) {
				waiters.splice(waiters.indexOf(waiter), 1);
				waiter.resolve();
			}
		});
	});
	return {
		packets,
		/** Resolves when `more` packets beyond those received so far have arrived. */
		next(more: number, timeoutMs = 3_000): Promise<RtpPacket[]> {
			const from = packets.length;
			return new Promise((resolve, reject) => {
				const timer = setTimeout(
					() => reject(new Error(`only ${packets.length - from} of ${more} RTP packets in ${timeoutMs} ms`)),
					timeoutMs
				);
				waiters.push({
					count: from + more,
					resolve: () => {
						clearTimeout(timer);
						resolve(packets.slice(from, from + more));
					}
				});
			});
		}
	};
}

/** One offer/answer round, as sip.js drives it over SIP (INVITE or re-INVITE, then 200 OK). */
async function negotiate(
	offerer: WeriftSessionDescriptionHandler,
	answerer: WeriftSessionDescriptionHandler,
	offerOptions?: Parameters<WeriftSessionDescriptionHandler['getDescription']>[0]
) {
	const offer = await offerer.getDescription(offerOptions);
	await answerer.setDescription(offer.body);
	const answer = await answerer.getDescription();
	await offerer.setDescription(answer.body);
	return { offer: offer.body, answer: answer.body };
}

/** The greeting's bytes, found at the packet's place in it: the payloads are the file, unaltered. */
function isGreetingAudio(payloads: Buffer[]) {
	const sent = Buffer.concat(payloads);
	return greeting.indexOf(sent.subarray(0, 480)) >= 0 && sent.some((sample) => sample !== 0xff);
}

describe('werift session description handler', () => {
	it('plays the greeting as PCMU once connected, through hold, unhold and an ICE restart', async () => {
		const customer = caller();
		const agent = caller();
		const atAgent = receivedBy(agent);
		const atCustomer = receivedBy(customer);

		const { offer, answer } = await negotiate(customer, agent);
		expect(offer).toMatch(/^m=audio \d+ UDP\/TLS\/RTP\/SAVPF 0 8\r?$/m);
		expect(offer).toMatch(/^a=candidate:\S+ 1 udp \d+ 127\.0\.0\.1 \d+ typ host/m);
		expect(answer).toMatch(/^a=sendrecv\r?$/m);

		const first = await atAgent.next(25);
		expect(first.every((packet) => packet.header.payloadType === 0)).toBe(true);
		const sequence = first.map((packet) => packet.header.sequenceNumber);
		const timestamps = first.map((packet) => packet.header.timestamp);
		expect(sequence.slice(1).map((n, i) => (n - sequence[i] + 0x10000) % 0x10000)).toEqual(Array(24).fill(1));
		expect(timestamps.slice(1).map((t, i) => (t - timestamps[i] + 2 ** 32) % 2 ** 32)).toEqual(
			Array(24).fill(160)
		);
		expect(isGreetingAudio(first.map((packet) => packet.payload))).toBe(true);
		expect(customer.packetsSent).toBeGreaterThanOrEqual(25);

		// The agent puts the customer on hold: the agent still sends (music), the customer is silent.
		const hold = await negotiate(agent, customer, { hold: true });
		expect(hold.offer).toMatch(/^a=sendonly\r?$/m);
		expect(hold.answer).toMatch(/^a=recvonly\r?$/m);
		const sentBeforeHold = customer.packetsSent;
		await atCustomer.next(10);
		expect(customer.packetsSent).toBe(sentBeforeHold);

		const resume = await negotiate(agent, customer, { hold: false });
		expect(resume.answer).toMatch(/^a=sendrecv\r?$/m);
		const resumed = await atAgent.next(5);
		expect(resumed[0].header.marker).toBe(true);
		expect(customer.packetsSent).toBeGreaterThan(sentBeforeHold);

		// After a network change the agent's browser restarts ICE: new credentials, audio goes on.
		const restart = await negotiate(agent, customer, { offerOptions: { iceRestart: true } });
		const iceCredentials = (sdp: string) => sdp.match(/^a=ice-ufrag:(\S+)/m)?.[1];
		expect(iceCredentials(restart.answer)).not.toBe(iceCredentials(answer));
		const connected = (handler: WeriftSessionDescriptionHandler) =>
			handler.peerConnection.iceConnectionState === 'connected' ||
			handler.peerConnection.iceConnectionState === 'completed';
		await atAgent.next(25);
		expect(connected(customer) && connected(agent)).toBe(true);
	});

	it('falls back to PCMA, converting the greeting from µ-law', async () => {
		const session = { id: 'demo-call-1' } as Session;
		const audioStartedFor: Session[] = [];
		const factory = weriftSessionDescriptionHandlerFactory({
			audio: greeting,
			onAudioStart: (started) => audioStartedFor.push(started)
		});
		const customer = factory(session) as WeriftSessionDescriptionHandler;
		handlers.push(customer);
		const agent = caller(['PCMA']);
		const atAgent = receivedBy(agent);

		// The customer answers, so it is the DTLS client and the last side to be ready: its very
		// first packet reaches the agent (as the DTLS server, a packet might beat the handshake).
		await negotiate(agent, customer);
		const packets = await atAgent.next(5);
		expect(packets[0].header.marker).toBe(true);
		expect(packets.slice(1).some((packet) => packet.header.marker)).toBe(false);
		expect(packets.every((packet) => packet.header.payloadType === 8)).toBe(true);
		const fromGreeting = Buffer.from(greeting.subarray(0, 800).map((sample) => muLawToALaw[sample]));
		expect(fromGreeting.indexOf(Buffer.concat(packets.map((packet) => packet.payload)))).toBe(0);
		expect(muLawToALaw[0xff]).toBe(0xd5); // silence stays silence
		expect(audioStartedFor).toEqual([session]);
	});

	it('closes twice without complaint and refuses to negotiate afterwards', async () => {
		const customer = caller();
		customer.close();
		customer.close();
		await expect(customer.getDescription()).rejects.toThrow(/closed/);
	});
});

describe('loadGreeting', () => {
	it('reads the µ-law samples of the shipped greeting', () => {
		// About 12 s at 8000 samples a second, and not silence.
		expect(greeting.length).toBeGreaterThan(10 * 8000);
		expect(greeting.some((sample) => sample !== 0xff)).toBe(true);
	});

	it('refuses a WAV that is not 8 kHz mono µ-law, and finds the data past other chunks', () => {
		const dir = mkdtempSync(join(tmpdir(), 'greeting-'));
		const file = (name: string, content: Buffer | string) => {
			const path = join(dir, name);
			writeFileSync(path, content);
			return path;
		};
		try {
			const pcm = file('pcm.wav', wav({ format: 1, sampleRate: 8000, bitsPerSample: 16 }));
			expect(() => loadGreeting(pcm)).toThrow(/must be µ-law \(WAV format 7\), not format 1/);
			const wideband = file('wideband.wav', wav({ format: 7, sampleRate: 16000, bitsPerSample: 8 }));
			expect(() => loadGreeting(wideband)).toThrow(/must be 8000 Hz mono 8-bit, not 16000 Hz/);
			expect(() => loadGreeting(file('text.wav', 'not a wav at all'))).toThrow(/not a WAV file/);
			const muLaw = file('mu-law.wav', wav({ format: 7, sampleRate: 8000, bitsPerSample: 8 }));
			expect(loadGreeting(muLaw)).toEqual(Buffer.alloc(160, 0x7f));
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

/** A minimal WAV: RIFF header, a fmt chunk, an odd-sized chunk to skip, then 160 bytes of data. */
function wav({
	format,
	sampleRate,
	bitsPerSample
}: {
	format: number;
	sampleRate: number;
	bitsPerSample: number;
}) {
	const fmt = Buffer.alloc(16);
	fmt.writeUInt16LE(format, 0);
	fmt.writeUInt16LE(1, 2);
	fmt.writeUInt32LE(sampleRate, 4);
	fmt.writeUInt32LE((sampleRate * bitsPerSample) / 8, 8);
	fmt.writeUInt16LE(bitsPerSample / 8, 12);
	fmt.writeUInt16LE(bitsPerSample, 14);
	const chunk = (id: string, body: Buffer) => {
		const header = Buffer.alloc(8);
		header.write(id, 0, 'ascii');
		header.writeUInt32LE(body.length, 4);
		return Buffer.concat([header, body, Buffer.alloc(body.length % 2)]);
	};
	const chunks = Buffer.concat([
		chunk('fmt ', fmt),
		chunk('LIST', Buffer.from('odd')),
		chunk('data', Buffer.alloc(160, 0x7f))
	]);
	const riff = Buffer.alloc(12);
	riff.write('RIFF', 0, 'ascii');
	riff.writeUInt32LE(4 + chunks.length, 4);
	riff.write('WAVE', 8, 'ascii');
	return Buffer.concat([riff, chunks]);
}
