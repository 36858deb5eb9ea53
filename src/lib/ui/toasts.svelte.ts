export type ToastTone = 'info' | 'success' | 'error';
export interface Toast {
	id: number;
	tone: ToastTone;
	message: string;
}

/** Short notices in the corner of the shell; they leave on their own. */
class Toasts {
	#items = $state<Toast[]>([]);
	#next = 1;

	get items(): readonly Toast[] {
		return this.#items;
	}

	show(message: string, tone: ToastTone = 'info', ms = 5000) {
		const id = this.#next++;
		this.#items = [...this.#items, { id, tone, message }];
		setTimeout(() => this.dismiss(id), ms);
	}

	dismiss(id: number) {
		this.#items = this.#items.filter((toast) => toast.id !== id);
	}
}

export const toasts = new Toasts();
