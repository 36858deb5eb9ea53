/** Seconds as m:ss or h:mm:ss, for call timers and durations. */
export function duration(seconds: number | null): string {
	if (seconds === null) return '';
	const h = Math.floor(seconds / 3600);
	const m = Math.floor((seconds % 3600) / 60);
	const s = String(seconds % 60).padStart(2, '0');
	return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
