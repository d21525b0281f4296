import { Client, type ClientConfig } from 'pg';
import { NOTIFY_CHANNEL } from './postgres-event-store.sql';

const RECONNECT_MIN_MS = 50;
const RECONNECT_MAX_MS = 5_000;

/** What a subscription sees of the shared LISTEN connection. */
export interface AppendListenerLease {
  /** Resolves once the LISTEN connection is (re)established. */
  whenListening(): Promise<void>;
  /** Backend pid of the LISTEN connection (null while disconnected). */
  readonly processId: number | null;
  /** How many times the LISTEN connection was re-established after a loss. */
  readonly reconnects: number;
  release(): void;
}

interface Listener {
  /** Wakes the subscription: a notification arrived, or the connection was (re)established. */
  signal(): void;
  onError?: (error: unknown) => void;
}

/**
 * One LISTEN connection per event store, shared by all its subscriptions: a process running a dozen
 * projections holds one idle connection for notifications instead of a dozen. Connected while at least
 * one subscription holds a lease; reconnects with backoff after a loss and then wakes every subscription,
 * so anything appended while nobody was listening is read (reading never depends on this connection).
 */
export class PostgresAppendListener {
  private readonly listeners = new Set<Listener>();
  private client: Client | null = null;
  private connecting = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectDelayMs = RECONNECT_MIN_MS;
  private everListened = false;
  /** The connection being ended (awaited by close(), so no LISTEN connection outlives the store). */
  private ending: Promise<void> = Promise.resolve();
  /** The connection attempt in flight. */
  private connectingAttempt: Promise<void> = Promise.resolve();
  private ready!: Promise<void>;
  private resolveReady!: () => void;
  processId: number | null = null;
  reconnects = 0;

  constructor(private readonly connection: ClientConfig) {
    this.resetReady();
  }

  acquire(listener: Listener): AppendListenerLease {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.startConnect();
    else if (this.client) listener.signal();
    let released = false;
    const owner = this; // eslint-disable-line @typescript-eslint/no-this-alias -- the lease reads live fields
    return {
      whenListening: () => (released ? Promise.resolve() : owner.ready),
      get processId() {
        return released ? null : owner.processId;
      },
      get reconnects() {
        return owner.reconnects;
      },
      release: () => {
        if (released) return;
        released = true;
        owner.listeners.delete(listener);
        if (owner.listeners.size === 0) void owner.disconnect();
      },
    };
  }

  /** Ends the connection (the store is closing). */
  async close(): Promise<void> {
    this.listeners.clear();
    await this.disconnect();
    // An attempt in flight ends its own connection once it sees nobody listens; wait for both.
    await this.connectingAttempt;
    await this.ending;
  }

  private startConnect(): void {
    this.connectingAttempt = this.connect();
  }

  private resetReady(): void {
    this.ready = new Promise((resolve) => (this.resolveReady = resolve));
  }

  private reportError(error: unknown): void {
    for (const listener of this.listeners) listener.onError?.(error);
  }

  private async disconnect(): Promise<void> {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const client = this.client;
    this.client = null;
    this.processId = null;
    this.resolveReady(); // nobody waits for a connection that will not come
    this.resetReady();
    if (client) {
      const ended = client.end().catch(() => undefined);
      this.ending = Promise.all([this.ending, ended]).then(() => undefined);
      await ended;
    }
  }

  private async connect(): Promise<void> {
    if (this.listeners.size === 0 || this.connecting || this.client) return;
    this.connecting = true;
    const client = new Client(this.connection);
    let established = false;
    let lost = false;
    const onLost = (error?: unknown): void => {
      if (lost) return;
      lost = true;
      if (error) this.reportError(error);
      client.end().catch(() => undefined);
      if (!established) return; // the connect attempt below handles it
      if (this.client === client) {
        this.client = null;
        this.processId = null;
        this.resetReady();
      }
      this.scheduleReconnect();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', () => {
      for (const listener of this.listeners) listener.signal();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
      if (lost) throw new Error('LISTEN connection lost while connecting');
    } catch (error) {
      this.connecting = false;
      onLost(error);
      this.scheduleReconnect();
      return;
    }
    this.connecting = false;
    if (this.listeners.size === 0) {
      await client.end().catch(() => undefined);
      return;
    }
    established = true;
    if (this.everListened) this.reconnects++;
    this.everListened = true;
    this.client = client;
    this.processId = (client as unknown as { processID: number }).processID;
    this.reconnectDelayMs = RECONNECT_MIN_MS;
    this.resolveReady();
    // Anything appended while nobody was listening is picked up now.
    for (const listener of this.listeners) listener.signal();
  }

  private scheduleReconnect(): void {
    if (this.listeners.size === 0 || this.reconnectTimer) return;
    const delay = this.reconnectDelayMs;
    this.reconnectDelayMs = Math.min(delay * 2, RECONNECT_MAX_MS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.startConnect();
    }, delay);
  }
}
