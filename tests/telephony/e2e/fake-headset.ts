import type { BrowserContext, Page } from '@playwright/test';

/**
 * A USB headset for pages in headless Chromium, which has no HID devices: replaces navigator.hid
 * with a WebHID look-alike offering one device whose report descriptor declares what call-centre
 * headsets declare (Telephony page 0x0B: hook switch 0x20 and phone mute 0x2F in input report 1;
 * LED page 0x08: mute 0x09, off-hook 0x17 and ring 0x18 in output report 2). It records every
 * sendReport(), and its buttons behave like a real headset's: the hook switch reports the opposite
 * of the off-hook LED the host last set (absolute, on/off control), phone mute is a press and a
 * release (the host toggles).
 */

export const fakeHeadsetName = 'Cuffia di prova USB';

export interface LedState {
	mute: boolean;
	offHook: boolean;
	ring: boolean;
}

interface FakeHeadsetHandle {
	reports: Array<{ reportId: number; data: number[] }>;
	press(button: 'hook' | 'mute'): void;
}

export async function installFakeHeadset(context: BrowserContext) {
	await context.addInitScript((productName: string) => {
		const usage = (page: number, id: number) => (page << 16) | id;
		const bit = (usages: number[]) => ({ usages, reportSize: 1, reportCount: 1 });
		const padding = { usages: [], reportSize: 5, reportCount: 1 };
		const reports: FakeHeadsetHandle['reports'] = [];
		let granted = false;
		let offHookLed = false;

		class FakeHidDevice extends EventTarget {
			readonly productName = productName;
			readonly vendorId = 0x0b0e;
			readonly productId = 0x0001;
			opened = false;
			readonly collections = [
				{
					usagePage: 0x0b,
					usage: 0x05, // headset
					type: 1,
					children: [],
					inputReports: [
						{
							reportId: 1,
							items: [bit([usage(0x0b, 0x20)]), bit([usage(0x0b, 0x2f)]), { ...padding, reportSize: 6 }]
						}
					],
					outputReports: [
						{
							reportId: 2,
							items: [bit([usage(0x08, 0x09)]), bit([usage(0x08, 0x17)]), bit([usage(0x08, 0x18)]), padding]
						}
					],
					featureReports: []
				}
			];
			async open() {
				this.opened = true;
			}
			async close() {
				this.opened = false;
			}
			async sendReport(reportId: number, data: BufferSource) {
				if (!this.opened) throw new DOMException('The device must be opened first.', 'InvalidStateError');
				const bytes = ArrayBuffer.isView(data)
					? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
					: new Uint8Array(data);
				reports.push({ reportId, data: [...bytes] });
				if (reportId === 2) offHookLed = (bytes[0] & 0b10) !== 0;
			}
			input(hook: boolean, mute: boolean) {
				if (!this.opened) return;
				const event = new Event('inputreport');
				Object.defineProperties(event, {
					device: { value: this },
					reportId: { value: 1 },
					data: { value: new DataView(new Uint8Array([(hook ? 1 : 0) | (mute ? 2 : 0)]).buffer) }
				});
				this.dispatchEvent(event);
			}
		}

		const device = new FakeHidDevice();
		const hid = Object.assign(new EventTarget(), {
			async requestDevice(options: { filters: Array<{ usagePage?: number }> }) {
				// The browser's chooser lists only devices matching a filter; the agent picks this one.
				if (!options.filters.some((f) => f.usagePage === undefined || f.usagePage === 0x0b)) return [];
				granted = true;
				return [device];
			},
			async getDevices() {
				return granted ? [device] : [];
			}
		});
		Object.defineProperty(Navigator.prototype, 'hid', { configurable: true, get: () => hid });

		const handle: FakeHeadsetHandle = {
			reports,
			press(button) {
				if (button === 'hook') {
					device.input(!offHookLed, false);
				} else {
					device.input(offHookLed, true);
					device.input(offHookLed, false);
				}
			}
		};
		(window as unknown as { __fakeHeadset: FakeHeadsetHandle }).__fakeHeadset = handle;
	}, fakeHeadsetName);
}

/** A browser without WebHID (Firefox, Safari, Chromium on Android). */
export async function removeWebHid(context: BrowserContext) {
	await context.addInitScript(() => {
		delete (Navigator.prototype as { hid?: unknown }).hid;
	});
}

export function pressHeadset(page: Page, button: 'hook' | 'mute') {
	return page.evaluate(
		(b) => (window as unknown as { __fakeHeadset: FakeHeadsetHandle }).__fakeHeadset.press(b),
		button
	);
}

/** Every output report the page sent to the headset's LEDs (report 2), decoded, in order. */
export function ledReports(page: Page): Promise<LedState[]> {
	return page.evaluate(() =>
		(window as unknown as { __fakeHeadset: FakeHeadsetHandle }).__fakeHeadset.reports
			.filter((r) => r.reportId === 2)
			.map((r) => ({
				mute: (r.data[0] & 0b001) !== 0,
				offHook: (r.data[0] & 0b010) !== 0,
				ring: (r.data[0] & 0b100) !== 0
			}))
	);
}

/** What the headset's LEDs show now (the last report), or null before any report. */
export async function leds(page: Page): Promise<LedState | null> {
	return (await ledReports(page)).at(-1) ?? null;
}
