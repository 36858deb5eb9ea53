/**
 * The ring, made with WebAudio (no audio file to ship) and played through an <audio> element so
 * that it can go to its own output device (setSinkId): desk speakers while the headset is off.
 */
export class Ringtone {
	#context: AudioContext | null = null;
	#timer: ReturnType<typeof setInterval> | null = null;
	#element: HTMLAudioElement | null = null;

	async start(route: (element: HTMLMediaElement) => Promise<boolean>) {
		if (this.#timer) return;
		try {
			const context = new AudioContext();
			this.#context = context;
			const destination = context.createMediaStreamDestination();
			const element = new Audio();
			element.srcObject = destination.stream;
			this.#element = element;
			await route(element);
			const ring = () => {
				// Two short bursts of 425 Hz modulated at 25 Hz, the Italian ringing cadence feel.
				const now = context.currentTime;
				for (const offset of [0, 0.4]) {
					const osc = context.createOscillator();
					const gain = context.createGain();
					osc.frequency.value = 425;
					gain.gain.setValueAtTime(0, now + offset);
					gain.gain.linearRampToValueAtTime(0.25, now + offset + 0.02);
					gain.gain.setValueAtTime(0.25, now + offset + 0.3);
					gain.gain.linearRampToValueAtTime(0, now + offset + 0.35);
					osc.connect(gain).connect(destination);
					osc.start(now + offset);
					osc.stop(now + offset + 0.36);
				}
			};
			ring();
			this.#timer = setInterval(ring, 3000);
			await element.play().catch(() => undefined);
		} catch {
			// No audio (autoplay policy before any click): the visual ring and the notification remain.
			this.stop();
		}
	}

	stop() {
		if (this.#timer) clearInterval(this.#timer);
		this.#timer = null;
		this.#element?.pause();
		if (this.#element) this.#element.srcObject = null;
		this.#element = null;
		void this.#context?.close().catch(() => undefined);
		this.#context = null;
	}
}
