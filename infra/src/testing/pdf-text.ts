import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A PDF's text as `pdftotext -layout` (Debian's poppler-utils) extracts it: what a reader of the document sees. */
export async function pdfText(pdf: ArrayBuffer | Uint8Array): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'stratus-pdf-'));
  try {
    const file = join(dir, 'document.pdf');
    await writeFile(file, pdf instanceof Uint8Array ? pdf : Buffer.from(pdf));
    const { stdout } = await run('pdftotext', ['-layout', file, '-']);
    return stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
