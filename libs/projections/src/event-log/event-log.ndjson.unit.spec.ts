import { Writable } from 'node:stream';
import { writeNdjson } from './event-log.ndjson';
import type { EventLogItem } from './event-log.query';

const item = (n: number): EventLogItem => ({
  position: `${n}/0`,
  streamId: 's-1',
  revision: n,
  type: 'T',
  eventId: `e${n}`,
  data: { pad: 'x'.repeat(200) },
  metadata: {
    actor: { userId: 'u', role: 'admin', impersonatorId: null, apiKeyId: null, ip: null, userAgent: null },
    correlationId: 'c',
    causationId: 'c',
    occurredAt: '2026-11-30T00:00:00.000Z',
  },
});

/** Counts how many items the writer pulled from the source. */
function source(total: number, pulled: { n: number }): AsyncIterable<EventLogItem> {
  return (async function* () {
    for (let i = 0; i < total; i++) {
      pulled.n = i + 1;
      yield item(i);
    }
  })();
}

describe('writeNdjson', () => {
  it('writes one JSON object per line and waits for drain when the destination is full', async () => {
    const chunks: string[] = [];
    let maxBuffered = 0;
    const slow: Writable = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, done) {
        maxBuffered = Math.max(maxBuffered, slow.writableLength);
        setImmediate(() => {
          chunks.push(chunk.toString());
          done();
        });
      },
    });
    const lines = await writeNdjson(source(2000, { n: 0 }), slow);
    await new Promise<void>((resolve) => slow.end(resolve));
    expect(lines).toBe(2000);
    const parsed = chunks
      .join('')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as EventLogItem);
    expect(parsed.map((p) => p.revision)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
    // ~850 kB in all; honouring 'drain' keeps at most about one 64 kB chunk buffered.
    expect(chunks.join('').length).toBeGreaterThan(800_000);
    expect(maxBuffered).toBeLessThan(150_000);
  });

  it('stops pulling events once the destination is closed (a client that went away)', async () => {
    const pulled = { n: 0 };
    let written = 0;
    const client = new Writable({
      highWaterMark: 1024,
      write(_chunk, _enc, done) {
        written += 1;
        // The client disconnects after the second chunk and never drains.
        if (written === 2) setImmediate(() => client.destroy());
        else setImmediate(done);
      },
    });
    await writeNdjson(source(1_000_000, pulled), client);
    expect(client.destroyed).toBe(true);
    expect(pulled.n).toBeLessThan(2000);
  });
});
