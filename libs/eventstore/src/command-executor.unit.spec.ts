import {
  DEFAULT_RETRY_POLICY,
  walletDecider,
  type RetryPolicy,
  type WalletCommand,
  type WalletEvent,
  type WalletState,
} from '@stratus/domain';
import {
  backoffDelay,
  CommandExecutor,
  ConcurrencyConflictError,
  type CommandContext,
  type CommandExecutorOptions,
} from './command-executor';
import { WrongExpectedRevisionError, type EventStore, type NewEvent } from './event-store.port';
import { KeyedMutex } from './keyed-mutex';

const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 200 };
const context = (): CommandContext => ({
  actor: { userId: 'system', role: 'system' },
  correlationId: 'test',
  causationId: 'test',
});

/** A store whose appends fail with `appendError` for the first `failures` calls, then succeed. */
function storeFailing(failures: number, appendError: () => Error) {
  const appended: NewEvent[][] = [];
  let calls = 0;
  const store = {
    readStream: async () => [],
    appendToStream: async (_streamId: string, events: readonly NewEvent[]) => {
      calls++;
      if (calls <= failures) throw appendError();
      appended.push([...events]);
      return { nextExpectedRevision: BigInt(events.length - 1), position: { commit: 1n, prepare: 1n } };
    },
  } as unknown as EventStore;
  return { store, appended, calls: () => calls };
}

function openWallet(overrides: Partial<CommandExecutorOptions> & { eventStore: EventStore }) {
  const sleeps: number[] = [];
  const executor = new CommandExecutor({
    retry: policy,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    clock: () => new Date('2026-01-01T00:00:00.000Z'),
    ...overrides,
  });
  const run = () =>
    executor.execute<WalletState, WalletCommand, WalletEvent>({
      streamId: 'wallet-1',
      decider: walletDecider,
      context: context(),
      command: (_state, metadata) => ({
        type: 'OpenWallet',
        data: { walletId: 'w-1', organizationId: 'org-1' },
        metadata,
      }),
    });
  return { run, sleeps };
}

const conflict = () => new WrongExpectedRevisionError('wallet-1', 1n, 2n);

describe('CommandExecutor retries', () => {
  test('the first successful attempt does not sleep', async () => {
    const { store } = storeFailing(0, conflict);
    const { run, sleeps } = openWallet({ eventStore: store });
    const result = await run();
    expect(result).toMatchObject({ alreadyApplied: false, revision: 0n });
    expect(result.state).toMatchObject({ status: 'open' });
    expect(sleeps).toEqual([]);
  });

  test('a lost race is retried with a fresh attempt and jittered, growing backoff', async () => {
    const { store, calls } = storeFailing(3, conflict);
    const retried: number[] = [];
    const { run, sleeps } = openWallet({
      eventStore: store,
      onConflictRetry: (_streamId, attempt) => void retried.push(attempt),
    });
    await run();
    expect(calls()).toBe(4);
    expect(retried).toEqual([1, 2, 3]);
    expect(sleeps).toEqual([5, 10, 20]); // half of 10, 20, 40 ms
  });

  test('gives up after maxAttempts with ConcurrencyConflictError', async () => {
    const { store, calls } = storeFailing(Infinity, conflict);
    const { run } = openWallet({ eventStore: store });
    const attempt = run();
    await expect(attempt).rejects.toBeInstanceOf(ConcurrencyConflictError);
    await expect(attempt).rejects.toMatchObject({ streamId: 'wallet-1', attempts: 5 });
    expect(calls()).toBe(5);
  });

  test('the default policy allows eight attempts', async () => {
    const { store, calls } = storeFailing(Infinity, conflict);
    const { run } = openWallet({ eventStore: store, retry: undefined });
    await expect(run()).rejects.toMatchObject({ attempts: DEFAULT_RETRY_POLICY.maxAttempts });
    expect(calls()).toBe(8);
  });

  test('does not retry other errors', async () => {
    const boom = new Error('boom');
    const { store, calls } = storeFailing(Infinity, () => boom);
    const { run } = openWallet({ eventStore: store });
    await expect(run()).rejects.toBe(boom);
    expect(calls()).toBe(1);
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
