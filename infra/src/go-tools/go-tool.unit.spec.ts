import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedGoToolPath, findGoTool, MAILPIT, STRIPE_MOCK } from './go-tool';

let cache: string;
beforeEach(() => {
  cache = mkdtempSync(join(tmpdir(), 'stratus-go-tool-'));
});
afterEach(() => rmSync(cache, { recursive: true, force: true }));

const executable = (path: string) => {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
  return path;
};

test('each tool has its own <cache>/<folder>/<version>/<binary>', () => {
  const env = { STRATUS_CACHE_DIR: cache };
  expect(cachedGoToolPath(STRIPE_MOCK, env)).toBe(join(cache, 'stripe-mock', 'v0.203.0', 'stripe-mock'));
  expect(cachedGoToolPath(MAILPIT, env)).toBe(join(cache, 'mailpit', 'v1.33.1', 'mailpit'));
  expect(cachedGoToolPath(STRIPE_MOCK, { XDG_CACHE_HOME: cache })).toBe(
    join(cache, 'stratus', 'stripe-mock', 'v0.203.0', 'stripe-mock'),
  );
});

test('the path variable wins over the cache, the cache over PATH', () => {
  const onPath = executable(join(cache, 'bin', 'stripe-mock'));
  const env: NodeJS.ProcessEnv = { STRATUS_CACHE_DIR: cache, PATH: join(cache, 'bin') };
  expect(findGoTool(STRIPE_MOCK, env)).toBe(onPath);
  const cached = executable(cachedGoToolPath(STRIPE_MOCK, env));
  expect(findGoTool(STRIPE_MOCK, env)).toBe(cached);
  const explicit = executable(join(cache, 'elsewhere', 'stripe-mock'));
  expect(findGoTool(STRIPE_MOCK, { ...env, STRIPE_MOCK_PATH: explicit })).toBe(explicit);
  expect(findGoTool(STRIPE_MOCK, { ...env, STRIPE_MOCK_PATH: join(cache, 'missing') })).toBeNull();
});
