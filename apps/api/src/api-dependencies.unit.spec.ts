import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
/** Workspace packages as the build resolves them (each package's src stands for its dist). */
const PACKAGES: Record<string, string> = {
  '@stratus/domain': 'libs/domain/src',
  '@stratus/eventstore': 'libs/eventstore/src',
  '@stratus/projections': 'libs/projections/src',
  '@stratus/workflows': 'workflows/src',
  '@stratus/infra': 'infra/src',
};

function resolveSource(specifier: string, from: string): string | null {
  let base: string | null = null;
  if (specifier.startsWith('.')) base = resolve(dirname(from), specifier);
  else {
    const name = Object.keys(PACKAGES).find((pkg) => specifier === pkg || specifier.startsWith(`${pkg}/`));
    if (!name) return null; // node built-ins and npm packages
    base = join(REPO_ROOT, PACKAGES[name], specifier.slice(name.length));
  }
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')])
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  throw new Error(`cannot resolve ${specifier} from ${relative(REPO_ROOT, from)}`);
}

/** Every workspace source file the module loads at run time (type-only imports left out, as tsc erases them). */
function runtimeGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    for (const statement of source.statements) {
      let specifier: string | undefined;
      if (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly)
        specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
      if (ts.isExportDeclaration(statement) && !statement.isTypeOnly && statement.moduleSpecifier)
        specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
      const target = specifier ? resolveSource(specifier, file) : null;
      if (target) pending.push(target);
    }
  }
  return seen;
}

describe("the API's dependency graph", () => {
  it('loads the infra package (Linode and payment adapters) without a simulator', () => {
    const files = [...runtimeGraph(join(__dirname, 'main.ts'))].map((file) => relative(REPO_ROOT, file));
    expect(files).toContain('infra/src/index.ts');
    expect(files).toContain('infra/src/linode/linode-provider.ts');
    expect(files).toContain('infra/src/payments/payment-settlement.ts');
    expect(
      files.filter((file) =>
        ['linode-simulator', 'paypal-simulator', 'stripe-mock', 'simulation', 'testing'].some((folder) =>
          file.startsWith(`infra/src/${folder}/`),
        ),
      ),
    ).toEqual([]);
  });
});
