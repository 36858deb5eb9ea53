export type Theme = 'light' | 'dark';
/** Desk screens default to light, wall screens (wallboard, dispatch map) to dark. */
export type Surface = 'desk' | 'wall';

const defaults: Record<Surface, Theme> = { desk: 'light', wall: 'dark' };
const storageKey = (surface: Surface) => `fieldline.theme.${surface}`;

function stored(surface: Surface): Theme | null {
	try {
		const value = localStorage.getItem(storageKey(surface));
		return value === 'light' || value === 'dark' ? value : null;
	} catch {
		return null;
	}
}

/** The colour theme. A choice is remembered on this browser, separately for desk and wall screens. */
class ThemeState {
	#surface = $state<Surface>('desk');
	#chosen = $state<Record<Surface, Theme | null>>({ desk: stored('desk'), wall: stored('wall') });

	get current(): Theme {
		return this.#chosen[this.#surface] ?? defaults[this.#surface];
	}

	/** The shell says which kind of screen is showing. */
	showing(surface: Surface) {
		this.#surface = surface;
	}

	toggle() {
		const next: Theme = this.current === 'dark' ? 'light' : 'dark';
		this.#chosen[this.#surface] = next;
		try {
			localStorage.setItem(storageKey(this.#surface), next);
		} catch {
			// Not remembered: still applied for this visit.
		}
	}
}

export const theme = new ThemeState();
