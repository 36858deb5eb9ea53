const storageKey = 'fieldline.softphone.devices';

interface Choice {
	microphone: string;
	speaker: string;
	ringer: string;
}

/** setSinkId is on HTMLMediaElement in Chromium and recent Firefox; not in every browser. */
type SinkElement = HTMLMediaElement & { setSinkId?: (id: string) => Promise<void> };

/**
 * Microphone, speaker (the headset) and ringer (may be the desk speakers) choices, remembered
 * per browser. An unplugged device falls back to the default without losing the choice.
 */
export class AudioDevices {
	#inputs = $state<MediaDeviceInfo[]>([]);
	#outputs = $state<MediaDeviceInfo[]>([]);
	#choice = $state<Choice>({ microphone: 'default', speaker: 'default', ringer: 'default' });

	constructor() {
		try {
			const saved = JSON.parse(localStorage.getItem(storageKey) ?? '{}') as Partial<Choice>;
			this.#choice = { ...this.#choice, ...saved };
		} catch {
			// Nothing saved, or storage unavailable: defaults.
		}
	}

	get inputs() {
		return this.#inputs;
	}
	get outputs() {
		return this.#outputs;
	}
	get microphone() {
		return this.#choice.microphone;
	}
	get speaker() {
		return this.#choice.speaker;
	}
	get ringer() {
		return this.#choice.ringer;
	}
	/** Whether this browser can route audio to a chosen output. */
	get canChooseOutput(): boolean {
		return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
	}

	async refresh() {
		if (!navigator.mediaDevices?.enumerateDevices) return;
		const devices = await navigator.mediaDevices.enumerateDevices();
		this.#inputs = devices.filter((d) => d.kind === 'audioinput');
		this.#outputs = devices.filter((d) => d.kind === 'audiooutput');
	}

	/** Follows plugging and unplugging of headsets. */
	watch(): () => void {
		const handler = () => void this.refresh();
		navigator.mediaDevices?.addEventListener?.('devicechange', handler);
		void this.refresh();
		return () => navigator.mediaDevices?.removeEventListener?.('devicechange', handler);
	}

	choose(kind: keyof Choice, deviceId: string) {
		this.#choice = { ...this.#choice, [kind]: deviceId };
		try {
			localStorage.setItem(storageKey, JSON.stringify(this.#choice));
		} catch {
			// Not remembered, still used now.
		}
	}

	/** getUserMedia constraints for the chosen microphone (the default when it is gone). */
	get audioConstraints(): MediaTrackConstraints | boolean {
		const present = this.#inputs.some((d) => d.deviceId === this.#choice.microphone);
		return this.#choice.microphone !== 'default' && present
			? { deviceId: { exact: this.#choice.microphone } }
			: true;
	}

	/** Routes an element to the chosen output; false when the browser cannot. */
	async route(element: HTMLMediaElement, kind: 'speaker' | 'ringer'): Promise<boolean> {
		const sink = element as SinkElement;
		if (!sink.setSinkId) return false;
		const id = this.#choice[kind];
		const present = id === 'default' || this.#outputs.some((d) => d.deviceId === id);
		try {
			await sink.setSinkId(present ? id : 'default');
			return true;
		} catch {
			return false;
		}
	}
}
