import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEARCH_ATTRIBUTE_KEYS } from '@stratus/workflows';
import { connectTemporal, devServerArgs, startTemporalDevServer } from './temporal-dev-server';

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? res(address.port) : rej(new Error('no port')),
      );
    });
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'stratus-temporal-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

test('start-dev arguments: SQLite file, ports, namespace and every Stratus search attribute', () => {
  const args = devServerArgs({
    dbFile: '/d/temporal.sqlite',
    port: 7233,
    uiPort: 8233,
    namespace: 'default',
  });
  expect(args.slice(0, 2)).toEqual(['server', 'start-dev']);
  const flag = (name: string) => args[args.indexOf(name) + 1];
  expect(flag('--db-filename')).toBe('/d/temporal.sqlite');
  expect(flag('--ip')).toBe('127.0.0.1');
  expect(flag('--port')).toBe('7233');
  expect(flag('--ui-port')).toBe('8233');
  expect(flag('--namespace')).toBe('default');
  expect(args.filter((a, i) => args[i - 1] === '--search-attribute')).toEqual(
    expect.arrayContaining(['StratusVpsId=Keyword', 'StratusAttempt=Int', 'StratusLastError=Text']),
  );
  expect(args.filter((a) => a === '--search-attribute')).toHaveLength(SEARCH_ATTRIBUTE_KEYS.length);
});

test('starts the dev server persisted in the data directory, reuses a running one, stops with no process left', async () => {
  const [port, uiPort] = [await freePort(), await freePort()];
  const lines: string[] = [];
  const server = await startTemporalDevServer({ dataDir, port, uiPort, log: (l) => lines.push(l) });
  try {
    expect(server).toMatchObject({
      address: `127.0.0.1:${port}`,
      reused: false,
      uiUrl: `http://localhost:${uiPort}`,
    });
    expect(existsSync(join(dataDir, 'temporal.sqlite'))).toBe(true);

    const connection = await connectTemporal(server.address, 5000);
    expect(connection).not.toBeNull();
    const { customAttributes } = await connection!.operatorService.listSearchAttributes({
      namespace: 'default',
    });
    await connection!.close();
    expect(Object.keys(customAttributes ?? {})).toEqual(
      expect.arrayContaining(SEARCH_ATTRIBUTE_KEYS.map((key) => key.name)),
    );
    expect((await fetch(server.uiUrl!)).status).toBe(200);

    const again = await startTemporalDevServer({ dataDir, port, uiPort: await freePort() });
    expect(again).toMatchObject({ address: server.address, reused: true, pid: null });
    await again.stop(); // a reused server is not ours to stop
    expect(await connectTemporal(server.address, 5000)).not.toBeNull();
  } finally {
    await server.stop();
  }
  expect(alive(server.pid!)).toBe(false);
  expect(await connectTemporal(server.address, 1000)).toBeNull();
  expect(lines.join('\n')).toContain(`127.0.0.1:${port}`);
}, 120_000);

test('a port taken by something that is not Temporal is an error naming the way out', async () => {
  const squatter = createServer((socket) => {
    socket.on('error', () => undefined); // the probe hangs up abruptly
    socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
  });
  await new Promise<void>((res) => squatter.listen(0, '127.0.0.1', res));
  const port = (squatter.address() as { port: number }).port;
  try {
    await expect(startTemporalDevServer({ dataDir, port, uiPort: await freePort() })).rejects.toThrow(
      /not a Temporal server.*TEMPORAL_DEV_PORT/,
    );
  } finally {
    squatter.close();
  }
}, 30_000);
