import type { Action } from 'svelte/action';

/** Ctrl+Enter (⌘+Enter on a Mac) sends the form from any of its fields. */
export const submitOnCtrlEnter: Action<HTMLFormElement> = (form) => {
	const onkeydown = (event: KeyboardEvent) => {
		if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return;
		event.preventDefault();
		form.requestSubmit();
	};
	form.addEventListener('keydown', onkeydown);
	return { destroy: () => form.removeEventListener('keydown', onkeydown) };
};
