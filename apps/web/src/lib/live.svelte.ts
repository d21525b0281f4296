import { invalidate } from '$app/navigation';
import { navigating } from '$app/state';

/**
 * Live updates in the browser: a WebSocket to the API's /api/live gateway, opened with a single-use ticket the web
 * server obtained for the session (the browser never holds the session token). Each message names a topic of an
 * organization ("vps", "wallet", "organizations"); the pages that depend on `live:<topic>` reload their data.
 * While the socket is down the same topics are polled every few seconds, and a new ticket is fetched from the
 * web server (/live/ticket) to reconnect.
 */
export const LIVE_TOPICS = ['vps', 'wallet', 'organizations'] as const;
export type LiveTopic = (typeof LIVE_TOPICS)[number];

export interface LiveConfig {
  url: string;
  ticket: string;
}

export interface LiveMessage {
  type: 'invalidate' | 'subscribed' | 'unsubscribed' | 'error' | 'ready';
  organizationId?: string;
  topic?: string;
  message?: string;
}

const POLL_INTERVAL_MS = 5_000;
const MAX_BACKOFF_MS = 30_000;
const DEBOUNCE_MS = 250;

export class LiveConnection {
  /** 'live' while the socket is open, 'polling' otherwise. */
  state = $state<'connecting' | 'live' | 'polling'>('connecting');
  private socket: WebSocket | null = null;
  private pollTimer: ReturnType<typeof setInterval> | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pending = new Set<LiveTopic>();
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private backoffMs = 1_000;
  private stopped = false;

  constructor(
    private readonly organizationId: string,
    private initial: LiveConfig | null,
  ) {}

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.stopPolling();
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, 'page closed');
  }

  private async ticket(): Promise<LiveConfig | null> {
    if (this.initial) {
      const config = this.initial;
      this.initial = null; // single use
      return config;
    }
    try {
      const response = await fetch('/live/ticket', {
        method: 'POST',
        headers: { accept: 'application/json' },
      });
      if (!response.ok) return null;
      return (await response.json()) as LiveConfig;
    } catch {
      return null;
    }
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const config = await this.ticket();
    if (this.stopped) return;
    if (!config) return this.fallBack();
    let socket: WebSocket;
    try {
      socket = new WebSocket(`${config.url}?ticket=${encodeURIComponent(config.ticket)}`);
    } catch {
      return this.fallBack();
    }
    this.socket = socket;
    socket.onopen = () => {
      socket.send(JSON.stringify({ type: 'subscribe', organizationId: this.organizationId }));
    };
    socket.onmessage = (event) => {
      let message: LiveMessage;
      try {
        message = JSON.parse(String(event.data)) as LiveMessage;
      } catch {
        return;
      }
      if (message.type === 'subscribed') {
        this.state = 'live';
        this.backoffMs = 1_000;
        this.stopPolling();
        // Anything that changed while we were not listening.
        this.schedule([...LIVE_TOPICS]);
      } else if (
        (message.type === 'error' || message.type === 'unsubscribed') &&
        (message.organizationId ?? this.organizationId) === this.organizationId
      ) {
        // Refused (or no longer a member): nothing will arrive on this socket; poll instead.
        socket.close(1000, 'not subscribed');
      } else if (message.type === 'invalidate' && message.organizationId === this.organizationId) {
        if ((LIVE_TOPICS as readonly string[]).includes(message.topic ?? '')) {
          this.schedule([message.topic as LiveTopic]);
        }
      }
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.fallBack();
    };
    socket.onerror = () => socket.close();
  }

  private fallBack(): void {
    if (this.stopped) return;
    this.state = 'polling';
    this.startPolling();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.connect(), this.backoffMs);
    this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs * 2);
  }

  private startPolling(): void {
    if (this.pollTimer) return;
    this.pollTimer = setInterval(() => {
      if (document.visibilityState === 'visible') this.schedule([...LIVE_TOPICS]);
    }, POLL_INTERVAL_MS);
  }

  private stopPolling(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
  }

  /** Bursts of changes (a batch of projections) reload each page once. */
  private schedule(topics: LiveTopic[]): void {
    for (const topic of topics) this.pending.add(topic);
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      // SvelteKit keeps only the latest navigation: invalidating now would abandon one in flight (a form's redirect
      // to the server it created stayed on the wizard). Wait until it has landed; the page it lands on reloads then.
      if (navigating.to !== null) {
        this.schedule([]);
        return;
      }
      const topics = [...this.pending];
      this.pending.clear();
      for (const topic of topics) void invalidate(`live:${topic}`);
    }, DEBOUNCE_MS);
  }
}
