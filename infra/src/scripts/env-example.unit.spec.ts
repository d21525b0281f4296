import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CONFIG_SCHEMA } from '../config';
import { renderConfigTable, renderEnvExample, withConfigTable } from './env-example';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const read = (file: string) => readFileSync(resolve(REPO_ROOT, file), 'utf8');

describe('generated configuration documentation', () => {
  it('.env.example is what the schema generates (run `npm run env:example`)', () => {
    expect(read('.env.example')).toBe(renderEnvExample());
  });

  it("README.md's configuration table is what the schema generates (run `npm run env:example`)", () => {
    const readme = read('README.md');
    expect(withConfigTable(readme)).toBe(readme);
  });

  it('documents every schema variable', () => {
    const example = renderEnvExample();
    const table = renderConfigTable();
    for (const key of Object.keys(CONFIG_SCHEMA)) {
      expect(example).toContain(`\n#${key}=`);
      expect(table).toContain(`| \`${key}\` |`);
    }
  });

  it('escapes pipes inside table cells', () => {
    const row = renderConfigTable()
      .split('\n')
      .find((line) => line.startsWith('| `NODE_ENV`'))!;
    expect(row).toContain('development \\| production \\| test');
    expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(6);
  });
});
