import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildOfflineOpenApiDocument } from './app.factory';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const REDOCLY_CLI = path.join(path.dirname(require.resolve('@redocly/cli/package.json')), 'bin/cli.js');

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
}

/** `redocly lint` as an API consumer runs it, with the repository's redocly.yaml (recommended rules). */
function redoclyLint(file: string): Promise<LintReport> {
  const args = [REDOCLY_CLI, 'lint', file, '--config', path.join(REPO_ROOT, 'redocly.yaml'), '--format=json'];
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
  // Exit status 1 when it finds errors: the report on stdout says which.
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      try {
        resolve(JSON.parse(stdout) as LintReport);
      } catch {
        reject(new Error(`redocly lint gave no report: ${String(error ?? '')}\n${stderr}`));
      }
    });
  });
}

test('the OpenAPI document passes Redocly recommended rules with no error and no warning', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'stratus-openapi-'));
  try {
    const file = path.join(dir, 'openapi.json');
    await writeFile(file, JSON.stringify(await buildOfflineOpenApiDocument()));
    const report = await redoclyLint(file);
    const problems = report.problems.map(
      (p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer ?? ''}: ${p.message}`,
    );
    expect(problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
