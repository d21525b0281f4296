import { WrongExpectedRevisionError } from '@stratus/eventstore';
import { KeyedMutex } from '@stratus/eventstore';
import {
  backoffDelay,
  ConcurrencyConflictError,
  retryOnConflict,
  type RetryPolicy,
} from './retry-on-conflict';

const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 200 };
const conflict = () => new WrongExpectedRevisionError('wallet-1', 1n, 2n);

describe('retryOnConflict', () => {
  test('returns the first successful attempt without sleeping', async () => {
    const sleeps: number[] = [];
    const result = await retryOnConflict('s', async () => 'done', policy, {
      sleep: async (ms) => void sleeps.push(ms),
    });
    expect(result).toBe('done');
    expect(sleeps).toEqual([]);
  });

  test('retries a lost race with a fresh attempt and jittered, growing backoff', async () => {
    const attempts: number[] = [];
    const sleeps: number[] = [];
    const result = await retryOnConflict(
      's',
      async (n) => {
        attempts.push(n);
        if (n < 4) throw conflict();
        return n;
      },
      policy,
      { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
    );
    expect(result).toBe(4);
    expect(attempts).toEqual([1, 2, 3, 4]);
    expect(sleeps).toEqual([5, 10, 20]); // half of 10, 20, 40 ms
  });

  test('gives up after maxAttempts with ConcurrencyConflictError', async () => {
    let calls = 0;
    const run = retryOnConflict(
      'wallet-9',
      async () => {
        calls++;
        throw conflict();
      },
      policy,
      { sleep: async () => undefined },
    );
    await expect(run).rejects.toBeInstanceOf(ConcurrencyConflictError);
    await expect(run).rejects.toMatchObject({ streamId: 'wallet-9', attempts: 5 });
    expect(calls).toBe(5);
  });

  test('does not retry other errors', async () => {
    let calls = 0;
    const boom = new Error('boom');
    await expect(
      retryOnConflict(
        's',
        async () => {
          calls++;
          throw boom;
        },
        policy,
        { sleep: async () => undefined },
      ),
    ).rejects.toBe(boom);
    expect(calls).toBe(1);
  });

  test('backoff is capped by maxDelayMs and never negative', () => {
    expect(backoffDelay(1, policy, () => 0.99)).toBe(0);
    expect(backoffDelay(20, policy, () => 0.999999)).toBeLessThan(200);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });
});

describe('KeyedMutex', () => {
  test('serialises work on one key and lets other keys run', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    let releaseFirst!: () => void;
    const first = mutex.run('a', async () => {
      log.push('a1 start');
      await new Promise<void>((r) => (releaseFirst = r));
      log.push('a1 end');
    });
    const second = mutex.run('a', async () => void log.push('a2'));
    const other = mutex.run('b', async () => void log.push('b'));
    await other;
    expect(log).toEqual(['a1 start', 'b']);
    releaseFirst();
    await Promise.all([first, second]);
    expect(log).toEqual(['a1 start', 'b', 'a1 end', 'a2']);
    expect(mutex.size).toBe(0);
  });

  test('a failing task releases the key', async () => {
    const mutex = new KeyedMutex();
    await expect(mutex.run('a', async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    await expect(mutex.run('a', async () => 'next')).resolves.toBe('next');
  });
});
