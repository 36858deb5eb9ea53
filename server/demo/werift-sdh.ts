import type {
	BodyAndContentType,
	Session,
	SessionDescriptionHandler,
	SessionDescriptionHandlerFactory,
	SessionDescriptionHandlerModifier,
	SessionDescriptionHandlerOptions
} from 'sip.js';
import {
	MediaStreamTrack,
	RTCPeerConnection,
	RTCRtpCodecParameters,
	RtpHeader,
	RtpPacket,
	type RTCIceTransport,
	type RTCRtpTransceiver
} from 'werift';
import { log } from '../core/log';

/** G.711 at 8 kHz: 20 ms of audio is 160 one-byte samples, and the RTP clock ticks once a sample. */
const packetMs = 20;
const samplesPerPacket = 160;
/** After a stall of the event loop, send at most this many late packets at once and skip the rest. */
const maxCatchUpPackets = 10;
const muLawSilence = 0xff;
const gatheringTimeoutMs = 5_000;

export type G711Codec = 'PCMU' | 'PCMA';

const codecParameters: Record<G711Codec, () => RTCRtpCodecParameters> = {
	// The static payload types: a SIP peer may leave out the rtpmap for them.
	PCMU: () =>
		new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, channels: 1, payloadType: 0 }),
	PCMA: () =>
		new RTCRtpCodecParameters({ mimeType: 'audio/PCMA', clockRate: 8000, channels: 1, payloadType: 8 })
};

export interface WeriftAudioOptions {
	/** 8 kHz µ-law samples to play as the customer's voice (see loadGreeting). */
	audio: Buffer;
	/** Silence between two repeats of the audio. Default 1.5 s. */
	pauseBetweenRepeatsMs?: number;
	/** Called once, when the first RTP packet is sent. */
	onAudioStart?(): void;
	/** Codecs offered, in order of preference. Default PCMU then PCMA: Chromium has no reason to pick Opus. */
	codecs?: G711Codec[];
	/**
	 * Host addresses gathered on top of the machine's own. werift skips internal interfaces, so
	 * without 127.0.0.1 here a call in a loopback-only network namespace has no candidate at all.
	 * Default ['127.0.0.1'].
	 */
	extraHostAddresses?: string[];
	/** Added to every log line of this handler (a SIP session id, for instance). */
	logFields?: Record<string, unknown>;
}

/** What sip.js passes to getDescription: the web handler's `hold` and ICE restart, nothing else. */
export interface WeriftDescriptionOptions extends SessionDescriptionHandlerOptions {
	hold?: boolean;
	offerOptions?: { iceRestart?: boolean };
}

/**
 * A sip.js session description handler for a simulated caller that lives in Node: werift does
 * WebRTC (ICE, DTLS-SRTP) and the handler speaks a recorded µ-law greeting in a loop once the
 * media path is up. It never captures nor plays what the other side says.
 *
 * SIP here is non-trickle: every description it returns already holds all the candidates.
 */
export class WeriftSessionDescriptionHandler implements SessionDescriptionHandler {
	readonly peerConnection: RTCPeerConnection;
	private readonly transceiver: RTCRtpTransceiver;
	private readonly track = new MediaStreamTrack({ kind: 'audio' });
	private readonly player: GreetingPlayer;
	private readonly iceChecksRunning = new Set<RTCIceTransport>();
	private closed = false;
	private received = 0;
	private readonly heard = new WeakSet<MediaStreamTrack>();

	constructor(private readonly options: WeriftAudioOptions) {
		const codecs = options.codecs ?? ['PCMU', 'PCMA'];
		if (codecs.length === 0) throw new Error('At least one G.711 codec is needed');
		if (options.audio.length === 0) throw new Error('The audio to play is empty');
		this.peerConnection = new RTCPeerConnection({
			// No STUN, no TURN: the demo runs where there is no internet, and host candidates suffice.
			iceServers: [],
			iceAdditionalHostAddresses: options.extraHostAddresses ?? ['127.0.0.1'],
			codecs: { audio: codecs.map((codec) => codecParameters[codec]()), video: [] }
		});
		// Created before any description, so an incoming offer's audio line lands on it (werift
		// matches a transceiver with no mid yet) and the answer can send.
		this.transceiver = this.peerConnection.addTransceiver(this.track, { direction: 'sendrecv' });
		this.player = new GreetingPlayer({
			audio: options.audio,
			pauseBetweenRepeatsMs: options.pauseBetweenRepeatsMs ?? 1_500,
			canSend: () => this.canSendAudio(),
			payloadTypeAndEncoding: () => this.sendCodec(),
			write: (packet) => this.track.writeRtp(packet),
			onFirstPacket: () => this.notifyAudioStart(),
			onError: (error) => this.logError('sending audio failed', error)
		});
		// Nothing listens to the agent; the count tells a test (and a log) that audio comes back.
		// werift announces the same track again on each negotiation: count it once.
		this.peerConnection.onTrack.subscribe((track) => {
			if (this.heard.has(track)) return;
			this.heard.add(track);
			track.onReceiveRtp.subscribe(() => this.received++);
		});
		this.peerConnection.connectionStateChange.subscribe((state) => {
			if (state === 'connected') this.player.start();
			if (state === 'failed') log.warn('demo caller: media connection failed', this.options.logFields);
		});
	}

	/** RTP packets handed to werift so far (for tests and diagnostics). */
	get packetsSent(): number {
		return this.player.packetsSent;
	}

	/** RTP packets received from the other side so far. */
	get packetsReceived(): number {
		return this.received;
	}

	hasDescription(contentType: string): boolean {
		return contentType === 'application/sdp';
	}

	async getDescription(
		options?: WeriftDescriptionOptions,
		modifiers: SessionDescriptionHandlerModifier[] = []
	): Promise<BodyAndContentType> {
		this.throwIfClosed();
		const pc = this.peerConnection;
		let description: { type: RTCSdpType; sdp: string };
		if (pc.signalingState === 'have-remote-offer') {
			description = await pc.createAnswer();
		} else {
			this.transceiver.setDirection(options?.hold ? 'sendonly' : 'sendrecv');
			description = await pc.createOffer({ iceRestart: options?.offerOptions?.iceRestart });
		}
		this.throwIfClosed();
		// werift refuses a local offer that differs from the one it created, so modifiers only
		// shape what goes on the wire, after the description is applied.
		await pc.setLocalDescription(description);
		await this.iceGatheringComplete();
		this.throwIfClosed();
		this.resumeIceAfterRestart();
		const local = pc.localDescription;
		if (!local) throw new Error('werift produced no local description');
		let wire: RTCSessionDescriptionInit = { type: local.type, sdp: local.sdp };
		for (const modify of modifiers) wire = await modify(wire);
		return { body: wire.sdp ?? '', contentType: 'application/sdp' };
	}

	async setDescription(
		sdp: string,
		_options?: SessionDescriptionHandlerOptions,
		modifiers: SessionDescriptionHandlerModifier[] = []
	): Promise<void> {
		this.throwIfClosed();
		const type = this.peerConnection.signalingState === 'have-local-offer' ? 'answer' : 'offer';
		let remote: RTCSessionDescriptionInit = { type, sdp };
		for (const modify of modifiers) remote = await modify(remote);
		await this.peerConnection.setRemoteDescription({ type, sdp: remote.sdp ?? '' });
		this.resumeIceAfterRestart();
	}

	async rollbackDescription(): Promise<void> {
		this.throwIfClosed();
		const pc = this.peerConnection;
		if (pc.signalingState === 'have-local-offer') await pc.setLocalDescription({ type: 'rollback' });
		else if (pc.signalingState === 'have-remote-offer') {
			await pc.setRemoteDescription({ type: 'rollback', sdp: '' });
		}
	}

	/** DTMF is not part of the demo caller. */
	sendDtmf(): boolean {
		return false;
	}

	close(): void {
		if (this.closed) return;
		this.closed = true;
		this.player.stop();
		this.track.stop();
		this.peerConnection
			.close()
			.catch((error: unknown) => this.logError('closing the peer connection failed', error));
	}

	private canSendAudio(): boolean {
		const direction = this.transceiver.currentDirection;
		return (
			!this.closed &&
			this.peerConnection.connectionState === 'connected' &&
			(direction === 'sendrecv' || direction === 'sendonly')
		);
	}

	/** The codec werift sends with is the first one both sides agreed on, in the remote's order. */
	private sendCodec(): { payloadType: number; aLaw: boolean } {
		const codec = this.transceiver.sender.codec;
		return { payloadType: codec?.payloadType ?? 0, aLaw: codec?.mimeType.toUpperCase() === 'AUDIO/PCMA' };
	}

	private notifyAudioStart() {
		try {
			this.options.onAudioStart?.();
		} catch (error) {
			this.logError('onAudioStart failed', error);
		}
	}

	private async iceGatheringComplete(): Promise<void> {
		const pc = this.peerConnection;
		if (pc.iceGatheringState === 'complete') return;
		// werift gathers inside setLocalDescription; this only guards against a future change.
		await new Promise<void>((resolve) => {
			const timer = setTimeout(() => {
				unsubscribe();
				log.warn('demo caller: ICE gathering still running, sending the candidates found', {
					...this.options.logFields
				});
				resolve();
			}, gatheringTimeoutMs);
			const { unSubscribe: unsubscribe } = pc.iceGatheringStateChange.subscribe((state) => {
				if (state !== 'complete') return;
				clearTimeout(timer);
				unsubscribe();
				resolve();
			});
		});
	}

	/**
	 * werift 0.24 does not run ICE again after an ICE restart while DTLS is still up: its
	 * connect step sees DTLS "connected" and returns, on both sides, so the new ICE generation
	 * never nominates a pair and every later packet is dropped. Once a negotiation is complete
	 * and a connected transport has no nominated pair, run the checks ourselves.
	 */
	private resumeIceAfterRestart() {
		const pc = this.peerConnection;
		if (this.closed || pc.signalingState !== 'stable') return;
		for (const dtls of pc.dtlsTransports) {
			const ice = dtls.iceTransport;
			const { connection } = ice;
			const restarted =
				dtls.state === 'connected' &&
				!connection.nominated &&
				connection.remoteUsername !== '' &&
				ice.state !== 'closed' &&
				!this.iceChecksRunning.has(ice);
			if (!restarted) continue;
			this.iceChecksRunning.add(ice);
			ice
				.start()
				.catch((error: unknown) => this.logError('ICE checks after a restart failed', error))
				.finally(() => this.iceChecksRunning.delete(ice));
		}
	}

	private throwIfClosed() {
		if (this.closed) throw new Error('The session description handler is closed');
	}

	private logError(message: string, error: unknown) {
		log.error(`demo caller: ${message}`, { ...this.options.logFields, error });
	}
}

/**
 * The sip.js factory for a simulated caller's user agent: every session (inviter or
 * invitation) gets its own peer connection playing the same audio.
 */
export function weriftSessionDescriptionHandlerFactory(
	options: Omit<WeriftAudioOptions, 'onAudioStart' | 'logFields'> & {
		onAudioStart?(session: Session): void;
	}
): SessionDescriptionHandlerFactory {
	return (session: Session) =>
		new WeriftSessionDescriptionHandler({
			...options,
			onAudioStart: () => options.onAudioStart?.(session),
			logFields: { sessionId: session.id }
		});
}

interface GreetingPlayerOptions {
	audio: Buffer;
	pauseBetweenRepeatsMs: number;
	canSend(): boolean;
	payloadTypeAndEncoding(): { payloadType: number; aLaw: boolean };
	write(packet: RtpPacket): void;
	onFirstPacket(): void;
	onError(error: unknown): void;
}

/**
 * Plays µ-law audio as RTP, one packet per 20 ms slot of a monotonic clock: each tick sends
 * the packets due by now, so timer lateness never accumulates into drift. The RTP clock runs
 * on while sending is not allowed (hold), and the voice resumes where it stopped.
 */
class GreetingPlayer {
	private readonly loop: Buffer;
	private timer: NodeJS.Timeout | undefined;
	private startedAt = 0;
	private slotsDone = 0;
	private cursor = 0;
	private sequenceNumber = randomUint(16);
	private timestamp = randomUint(32);
	private talkspurtStart = true;
	private stopped = false;
	packetsSent = 0;

	constructor(private readonly options: GreetingPlayerOptions) {
		const pauseSamples = Math.round((options.pauseBetweenRepeatsMs / 1000) * 8000);
		this.loop = Buffer.concat([options.audio, Buffer.alloc(pauseSamples, muLawSilence)]);
	}

	start() {
		if (this.timer || this.stopped) return;
		this.startedAt = performance.now();
		this.slotsDone = 0;
		this.tick();
	}

	stop() {
		this.stopped = true;
		clearTimeout(this.timer);
		this.timer = undefined;
	}

	private tick = () => {
		if (this.stopped) return;
		const due = Math.floor((performance.now() - this.startedAt) / packetMs) + 1;
		if (due - this.slotsDone > maxCatchUpPackets) {
			// A long stall: a burst of stale audio helps no one, the RTP clock jumps instead.
			const skipped = due - this.slotsDone - maxCatchUpPackets;
			this.timestamp = (this.timestamp + skipped * samplesPerPacket) >>> 0;
			this.slotsDone += skipped;
		}
		for (; this.slotsDone < due; this.slotsDone++) this.playSlot();
		const nextAt = this.startedAt + this.slotsDone * packetMs;
		this.timer = setTimeout(this.tick, Math.max(0, nextAt - performance.now()));
		// The demo caller never keeps the process alive on its own.
		this.timer.unref();
	};

	private playSlot() {
		try {
			if (this.options.canSend()) this.send();
			else this.talkspurtStart = true;
		} catch (error) {
			this.options.onError(error);
		}
		this.timestamp = (this.timestamp + samplesPerPacket) >>> 0;
	}

	private send() {
		const { payloadType, aLaw } = this.options.payloadTypeAndEncoding();
		const payload = Buffer.allocUnsafe(samplesPerPacket);
		for (let i = 0; i < samplesPerPacket; i++) {
			const sample = this.loop[this.cursor];
			payload[i] = aLaw ? muLawToALaw[sample] : sample;
			this.cursor = (this.cursor + 1) % this.loop.length;
		}
		const header = new RtpHeader({
			payloadType,
			sequenceNumber: this.sequenceNumber,
			timestamp: this.timestamp,
			// RFC 3551: the marker flags the first packet of a talkspurt, here after start and after hold.
			marker: this.talkspurtStart
		});
		this.options.write(new RtpPacket(header, payload));
		this.sequenceNumber = (this.sequenceNumber + 1) & 0xffff;
		this.talkspurtStart = false;
		this.packetsSent++;
		if (this.packetsSent === 1) this.options.onFirstPacket();
	}
}

function randomUint(bits: 16 | 32): number {
	return Math.floor(Math.random() * 2 ** bits);
}

/** G.711 µ-law to A-law through 16-bit linear, for a peer that accepts only PCMA. */
export const muLawToALaw: Uint8Array = Uint8Array.from({ length: 256 }, (_, muLaw) =>
	linearToALaw(muLawToLinear(muLaw))
);

function muLawToLinear(muLaw: number): number {
	const inverted = ~muLaw & 0xff;
	const exponent = (inverted >> 4) & 0x07;
	const magnitude = ((((inverted & 0x0f) << 3) + 0x84) << exponent) - 0x84;
	return inverted & 0x80 ? -magnitude : magnitude;
}

function linearToALaw(linear: number): number {
	let pcm = linear >> 3;
	let mask = 0xd5;
	if (pcm < 0) {
		mask = 0x55;
		pcm = -pcm - 1;
	}
	const segmentEnds = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];
	const segment = segmentEnds.findIndex((end) => pcm <= end);
	if (segment === -1) return 0x7f ^ mask;
	const mantissa = segment < 2 ? (pcm >> 1) & 0x0f : (pcm >> segment) & 0x0f;
	return ((segment << 4) | mantissa) ^ mask;
}
