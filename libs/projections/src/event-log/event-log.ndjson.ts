import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { EventLogItem } from './event-log.query';

/** Lines gathered before one write: fewer, larger writes, still a bounded buffer. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Writes one JSON object per line, honouring backpressure (waits for 'drain' whenever `write` says the
 * buffer is full), and stops as soon as the destination closes or errors (a client that went away).
 * Returns the number of lines written. Does not end the destination.
 */
export async function writeNdjson(items: AsyncIterable<EventLogItem>, out: Writable): Promise<number> {
  let gone = out.destroyed || out.writableEnded;
  const stop = () => {
    gone = true;
  };
  out.once('close', stop);
  out.once('error', stop);
  let lines = 0;
  let chunk = '';
  const flush = async () => {
    if (chunk.length === 0 || gone) return;
    const ok = out.write(chunk);
    chunk = '';
    if (!ok && !gone) {
      // 'close' also ends the wait: a client that disconnects never drains.
      await Promise.race([once(out, 'drain'), once(out, 'close')]).catch(() => undefined);
    }
  };
  try {
    for await (const item of items) {
      if (gone) break;
      chunk += `${JSON.stringify(item)}\n`;
      lines += 1;
      if (chunk.length >= CHUNK_BYTES) await flush();
    }
    await flush();
    return lines;
  } finally {
    out.off('close', stop);
    out.off('error', stop);
  }
}
