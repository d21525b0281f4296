/**
 * Reads what Mailpit received through its HTTP API (GET /api/v1/messages, GET /api/v1/message/{ID}): the tests'
 * view of the mail Stratus sent.
 */

export interface MailpitAddress {
  Name: string;
  Address: string;
}

/** A message as Mailpit lists it. */
export interface MailpitSummary {
  ID: string;
  MessageID: string;
  From: MailpitAddress;
  To: MailpitAddress[];
  Subject: string;
  Created: string;
}

/** One message in full. */
export interface MailpitMessage extends MailpitSummary {
  Text: string;
  HTML: string;
}

export interface MailpitClient {
  /** Every stored message, oldest first. */
  messages(): Promise<MailpitSummary[]>;
  message(id: string): Promise<MailpitMessage>;
  /** Messages to this address, oldest first. */
  messagesTo(address: string): Promise<MailpitSummary[]>;
  /** The link in the newest message to this address whose path starts with `path` (e.g. '/invitations/'), or null. */
  latestLink(address: string, path: string): Promise<string | null>;
  deleteAll(): Promise<void>;
}

async function json<T>(response: Response, what: string): Promise<T> {
  if (!response.ok) throw new Error(`Mailpit ${what}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** `uiUrl`: Mailpit's web address (e.g. http://127.0.0.1:8025). */
export function mailpitClient(uiUrl: string): MailpitClient {
  const base = uiUrl.replace(/\/$/, '');
  const messages = async (): Promise<MailpitSummary[]> => {
    const all: MailpitSummary[] = [];
    for (let start = 0; ;) {
      const page = await json<{ total: number; messages: MailpitSummary[] }>(
        await fetch(`${base}/api/v1/messages?start=${start}&limit=500`),
        'list',
      );
      all.push(...page.messages);
      start += page.messages.length;
      if (page.messages.length === 0 || start >= page.total) break;
    }
    // The API lists newest first.
    return all.reverse();
  };
  const message = async (id: string) =>
    json<MailpitMessage>(await fetch(`${base}/api/v1/message/${id}`), 'message');
  const messagesTo = async (address: string) =>
    (await messages()).filter((m) => m.To.some((to) => to.Address.toLowerCase() === address.toLowerCase()));
  return {
    messages,
    message,
    messagesTo,
    latestLink: async (address, path) => {
      const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const pattern = new RegExp(`https?://[^\\s"<>/]+${escaped}[^\\s"<>]*`);
      for (const summary of (await messagesTo(address)).reverse()) {
        const found = (await message(summary.ID)).Text.match(pattern);
        if (found) return found[0];
      }
      return null;
    },
    deleteAll: async () => {
      const response = await fetch(`${base}/api/v1/messages`, { method: 'DELETE' });
      if (!response.ok) throw new Error(`Mailpit delete: HTTP ${response.status}`);
    },
  };
}
