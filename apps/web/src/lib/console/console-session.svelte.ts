/**
 * One browser console connection: fetches a fresh ticket from the page's server side (the session token never
 * reaches the browser), opens the API's WebSocket, sends the ticket first, then relays keystrokes and sizes.
 * `status` is reactive for the status line; reconnecting starts over with a new ticket.
 */
import {
  describeClose,
  encodeClientMessage,
  parseServerMessage,
  validSize,
  type ConsoleClientMessage,
  type ConsoleTicketAnswer,
} from './console-protocol';

export type ConsoleStatus =
  { state: 'idle' } | { state: 'connecting' } | { state: 'connected' } | { state: 'closed'; reason: string };

export interface ConsoleSessionOptions {
  /** POST here for a ticket (the page's +server.ts). */
  ticketUrl: string;
  /** Terminal output from the server. */
  onOutput(data: string): void;
  /** The terminal's current size, sent once the session is ready. */
  size(): { cols: number; rows: number };
}

async function fetchTicket(url: string): Promise<ConsoleTicketAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: '{}',
    credentials: 'same-origin',
  });
  const body = (await response.json().catch(() => null)) as
    (Partial<ConsoleTicketAnswer> & { message?: string }) | null;
  if (!response.ok || !body?.ticket || !body.websocketUrl)
    throw new Error(body?.message ?? `could not get a console ticket (HTTP ${response.status})`);
  return { ticket: body.ticket, websocketUrl: body.websocketUrl, expiresAt: body.expiresAt ?? null };
}

export class ConsoleSession {
  status: ConsoleStatus = $state({ state: 'idle' });
  private socket: WebSocket | null = null;
  /** Bumped on every connect/close so late events of an old socket change nothing. */
  private generation = 0;

  constructor(private readonly options: ConsoleSessionOptions) {}

  async connect(): Promise<void> {
    this.disconnect();
    const generation = ++this.generation;
    this.status = { state: 'connecting' };
    let ticket: ConsoleTicketAnswer;
    try {
      ticket = await fetchTicket(this.options.ticketUrl);
    } catch (error) {
      if (generation === this.generation)
        this.status = { state: 'closed', reason: error instanceof Error ? error.message : String(error) };
      return;
    }
    if (generation !== this.generation) return;
    let socket: WebSocket;
    try {
      socket = new WebSocket(ticket.websocketUrl);
    } catch (error) {
      this.status = { state: 'closed', reason: error instanceof Error ? error.message : String(error) };
      return;
    }
    this.socket = socket;
    let closedReason: string | null = null;
    socket.onopen = () => {
      if (generation !== this.generation) return;
      const { cols, rows } = this.options.size();
      // The shell starts at the terminal's size; a resize follows `ready` in case it changed meanwhile.
      socket.send(
        encodeClientMessage(
          validSize(cols, rows)
            ? { type: 'auth', ticket: ticket.ticket, cols, rows }
            : { type: 'auth', ticket: ticket.ticket },
        ),
      );
    };
    socket.onmessage = (event) => {
      if (generation !== this.generation) return;
      const message = parseServerMessage(event.data);
      if (!message) return;
      switch (message.type) {
        case 'ready': {
          this.status = { state: 'connected' };
          const { cols, rows } = this.options.size();
          this.resize(cols, rows);
          break;
        }
        case 'output':
          this.options.onOutput(message.data);
          break;
        case 'error':
        case 'closed':
          closedReason = message.reason;
          this.status = { state: 'closed', reason: message.reason };
          break;
      }
    };
    socket.onclose = (event) => {
      if (generation !== this.generation) return;
      this.socket = null;
      this.status = { state: 'closed', reason: closedReason ?? describeClose(event.code, event.reason) };
    };
  }

  /** Keystrokes and pastes from the terminal. */
  input(data: string): void {
    this.send({ type: 'input', data });
  }

  resize(cols: number, rows: number): void {
    if (validSize(cols, rows)) this.send({ type: 'resize', cols, rows });
  }

  disconnect(): void {
    this.generation++;
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000, 'closed by the user');
  }

  private send(message: ConsoleClientMessage): void {
    if (this.status.state !== 'connected') return;
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(encodeClientMessage(message));
  }
}
