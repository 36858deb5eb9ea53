import { ApiError } from '$lib/api/client';
import { realtime } from '$lib/realtime/socket.svelte';
import { listNotifications, markNotificationsRead, type NotificationView } from './notifications-api';

const pageSize = 20;

/**
 * The user's bell: the latest notifications and the unread count, kept live by
 * `notification:new` and `notification:read` (read on another console clears it here too).
 */
class Bell {
	#items = $state<NotificationView[]>([]);
	#unread = $state(0);
	#hasMore = $state(false);
	#error = $state<ApiError | null>(null);
	#loaded = $state(false);
	#request = 0;

	get items(): NotificationView[] {
		return this.#items;
	}

	get unread(): number {
		return this.#unread;
	}

	get hasMore(): boolean {
		return this.#hasMore;
	}

	get error(): ApiError | null {
		return this.#error;
	}

	get loaded(): boolean {
		return this.#loaded;
	}

	/** Loads and follows; returns the function that stops following. */
	start(): () => void {
		// A console shared by several operators must never show the previous user's bell.
		this.#items = [];
		this.#unread = 0;
		this.#loaded = false;
		const offNew = realtime.on('notification:new', ({ notification, unread }) => {
			if (!this.#items.some((n) => n.id === notification.id))
				this.#items = [notification, ...this.#items].slice(0, Math.max(pageSize, this.#items.length));
			this.#unread = unread;
		});
		const offRead = realtime.on('notification:read', ({ ids, unread }) => this.#markedRead(ids, unread));
		const offResync = realtime.onResync(() => void this.load());
		void this.load();
		return () => {
			offNew();
			offRead();
			offResync();
		};
	}

	async load() {
		const request = ++this.#request;
		try {
			const page = await listNotifications({ pageSize });
			if (request !== this.#request) return;
			this.#items = page.items;
			this.#unread = page.unread;
			this.#hasMore = page.hasMore;
			this.#error = null;
			this.#loaded = true;
		} catch (error) {
			if (request === this.#request)
				this.#error = error instanceof ApiError ? error : new ApiError(0, 'network', String(error));
		}
	}

	async loadMore() {
		const request = this.#request;
		const page = await listNotifications({ pageSize, page: Math.floor(this.#items.length / pageSize) + 1 });
		if (request !== this.#request) return;
		const held = new Set(this.#items.map((n) => n.id));
		this.#items = [...this.#items, ...page.items.filter((n) => !held.has(n.id))];
		this.#hasMore = page.hasMore;
		this.#unread = page.unread;
	}

	/** Marks one read at once on screen, then tells the server (which tells the user's other consoles). */
	async markRead(id: string) {
		const target = this.#items.find((n) => n.id === id);
		if (!target || target.readAt) return;
		this.#markedRead([id], Math.max(0, this.#unread - 1));
		this.#unread = await markNotificationsRead({ ids: [id] });
	}

	async markAllRead() {
		if (this.#unread === 0) return;
		this.#markedRead('all', 0);
		this.#unread = await markNotificationsRead({ all: true });
	}

	#markedRead(ids: string[] | 'all', unread: number) {
		const readAt = new Date().toISOString();
		this.#items = this.#items.map((n) =>
			n.readAt === null && (ids === 'all' || ids.includes(n.id)) ? { ...n, readAt } : n
		);
		this.#unread = unread;
	}
}

export const bell = new Bell();
