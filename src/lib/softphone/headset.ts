/**
 * Headset call-control buttons through WebHID (Chromium desktop): the Telephony usage page's hook
 * switch answers and hangs up, its mute button toggles mute; the mute and off-hook LEDs follow.
 * Works from the HID report descriptor, so any headset that declares these usages fits.
 */

// WebHID is not in TypeScript's DOM library yet: the few parts used here.
interface HidReportItem {
	usages?: number[];
	reportSize: number;
	reportCount: number;
}
interface HidReportInfo {
	reportId: number;
	items?: HidReportItem[];
}
interface HidCollection {
	usagePage?: number;
	usage?: number;
	children?: HidCollection[];
	inputReports?: HidReportInfo[];
	outputReports?: HidReportInfo[];
}
interface HidDevice extends EventTarget {
	productName: string;
	opened: boolean;
	collections: HidCollection[];
	open(): Promise<void>;
	close(): Promise<void>;
	sendReport(reportId: number, data: BufferSource): Promise<void>;
}
interface HidInputReportEvent extends Event {
	reportId: number;
	data: DataView;
}
interface Hid {
	requestDevice(options: { filters: Array<{ usagePage?: number }> }): Promise<HidDevice[]>;
	getDevices(): Promise<HidDevice[]>;
}

const telephony = 0x0b;
const usage = (page: number, id: number) => (page << 16) | id;
export const usages = {
	hookSwitch: usage(telephony, 0x20),
	phoneMute: usage(telephony, 0x2f),
	muteLed: usage(0x08, 0x09),
	offHookLed: usage(0x08, 0x17),
	ringLed: usage(0x08, 0x18)
} as const;

interface Field {
	reportId: number;
	bitOffset: number;
	bitSize: number;
}

/** Where each usage sits in the device's reports (bit offset after the report id). */
export function mapFields(
	collections: HidCollection[],
	kind: 'inputReports' | 'outputReports'
): Map<number, Field> {
	const fields = new Map<number, Field>();
	const walk = (collection: HidCollection) => {
		for (const report of collection[kind] ?? []) {
			let offset = 0;
			for (const item of report.items ?? []) {
				const list = item.usages ?? [];
				for (let i = 0; i < item.reportCount; i++) {
					const u = list[Math.min(i, list.length - 1)];
					if (u !== undefined && !fields.has(u))
						fields.set(u, {
							reportId: report.reportId,
							bitOffset: offset + i * item.reportSize,
							bitSize: item.reportSize
						});
				}
				offset += item.reportSize * item.reportCount;
			}
		}
		collection.children?.forEach(walk);
	};
	collections.forEach(walk);
	return fields;
}

function readBit(data: DataView, field: Field): number {
	const byte = Math.floor(field.bitOffset / 8);
	if (byte >= data.byteLength) return 0;
	return (data.getUint8(byte) >> (field.bitOffset % 8)) & 1;
}

export type HeadsetSupport = 'unsupported' | 'available' | 'connected';
export type HeadsetAction = 'answer' | 'hangup' | 'mute';

export class Headset {
	#device: HidDevice | null = null;
	#inputs = new Map<number, Field>();
	#outputs = new Map<number, Field>();
	#mute = 0;
	#leds = { mute: false, offHook: false, ring: false };
	#onAction: (action: HeadsetAction) => boolean = () => false;

	static get supported(): boolean {
		return typeof navigator !== 'undefined' && 'hid' in navigator && window.isSecureContext;
	}

	get name(): string | null {
		return this.#device?.productName ?? null;
	}

	/** `handler` says whether the phone acted on the button (a hook switch it ignores is undone). */
	onAction(handler: (action: HeadsetAction) => boolean) {
		this.#onAction = handler;
	}

	/** Asks the user to pick a headset (must run from a click); reconnects a granted one otherwise. */
	async connect(pick: boolean): Promise<boolean> {
		if (!Headset.supported) return false;
		const hid = (navigator as Navigator & { hid: Hid }).hid;
		const devices = pick
			? await hid.requestDevice({ filters: [{ usagePage: telephony }] })
			: await hid.getDevices();
		const device = devices.find((d) => d.collections.some((c) => c.usagePage === telephony));
		if (!device) return false;
		if (!device.opened) await device.open();
		this.#device = device;
		this.#inputs = mapFields(device.collections, 'inputReports');
		this.#outputs = mapFields(device.collections, 'outputReports');
		device.addEventListener('inputreport', (event) => this.#onReport(event as HidInputReportEvent));
		await this.#sendLeds();
		return true;
	}

	async disconnect() {
		await this.#device?.close().catch(() => undefined);
		this.#device = null;
	}

	#onReport(event: HidInputReportEvent) {
		const hook = this.#inputs.get(usages.hookSwitch);
		if (hook && hook.reportId === event.reportId) {
			// Absolute (on/off control): the headset asks to go off hook (1) or back on hook (0). The
			// phone owns the hook state and confirms it with the off-hook LED: a report that matches it
			// changes nothing, and one the phone does not act on (no call) is undone by sending the LEDs
			// again, or the next press would ask for the state the phone is already in.
			const offHook = readBit(event.data, hook) === 1;
			if (offHook !== this.#leds.offHook && !this.#onAction(offHook ? 'answer' : 'hangup'))
				void this.#sendLeds().catch(() => undefined);
		}
		const mute = this.#inputs.get(usages.phoneMute);
		if (mute && mute.reportId === event.reportId) {
			const value = readBit(event.data, mute);
			// Relative: a press (0 -> 1) toggles.
			if (value && !this.#mute) this.#onAction('mute');
			this.#mute = value;
		}
	}

	/** Keeps the headset's LEDs (and its own idea of the hook state) in line with the call. */
	async setLeds(leds: Partial<{ mute: boolean; offHook: boolean; ring: boolean }>) {
		const next = { ...this.#leds, ...leds };
		if (next.mute === this.#leds.mute && next.offHook === this.#leds.offHook && next.ring === this.#leds.ring)
			return;
		this.#leds = next;
		await this.#sendLeds().catch(() => undefined);
	}

	async #sendLeds() {
		const device = this.#device;
		if (!device) return;
		const wanted: Array<[number, boolean]> = [
			[usages.muteLed, this.#leds.mute],
			[usages.offHookLed, this.#leds.offHook],
			[usages.ringLed, this.#leds.ring]
		];
		const reports = new Map<number, Uint8Array<ArrayBuffer>>();
		for (const [u, on] of wanted) {
			const field = this.#outputs.get(u);
			if (!field) continue;
			const size = Math.max(
				reports.get(field.reportId)?.length ?? 0,
				Math.ceil((field.bitOffset + field.bitSize) / 8)
			);
			const data = new Uint8Array(new ArrayBuffer(size));
			data.set(reports.get(field.reportId) ?? []);
			if (on) data[Math.floor(field.bitOffset / 8)] |= 1 << (field.bitOffset % 8);
			reports.set(field.reportId, data);
		}
		for (const [reportId, data] of reports) await device.sendReport(reportId, data);
	}
}
