import { Writable } from 'node:stream';
import { createLogger, fieldLogger } from './logger';

function collect(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return {
    stream,
    lines: () =>
      text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  it('writes one JSON object a line with time, level name, service and message', () => {
    const out = collect();
    createLogger({ service: 'workers', destination: out.stream }).info({ vpsId: 'v-1' }, 'server resumed');
    const [line] = out.lines();
    expect(line).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      level: 'info',
      service: 'workers',
      vpsId: 'v-1',
      msg: 'server resumed',
    });
  });

  it('writes bigint amounts as exact strings', () => {
    const out = collect();
    const logger = fieldLogger(createLogger({ service: 'workers', destination: out.stream }));
    logger.info('first hour refunded', { amount: 9007199254740993n, nested: { debt: -5n } });
    expect(out.lines()[0]).toMatchObject({ amount: '9007199254740993', nested: { debt: '-5' } });
  });

  it('redacts credentials and keeps the rest of the request', () => {
    const out = collect();
    createLogger({ service: 'api', destination: out.stream }).info(
      {
        req: { method: 'POST', headers: { authorization: 'Bearer abc', cookie: 'sid=1', host: 'h' } },
        body: { email: 'a@b.c', password: 'hunter2' },
      },
      'request completed',
    );
    const line = out.lines()[0] as { req: { headers: Record<string, string> }; body: Record<string, string> };
    expect(line.req.headers).toEqual({ authorization: '[redacted]', cookie: '[redacted]', host: 'h' });
    expect(line.body).toEqual({ email: 'a@b.c', password: '[redacted]' });
    expect(JSON.stringify(line)).not.toMatch(/abc|sid=1|hunter2/);
  });

  it('writes nothing below LOG_LEVEL', () => {
    const out = collect();
    const logger = createLogger({ service: 'api', level: 'warn', destination: out.stream });
    logger.info('hidden');
    logger.debug('hidden');
    logger.warn('shown');
    expect(out.lines().map((line) => line.msg)).toEqual(['shown']);
  });
});
