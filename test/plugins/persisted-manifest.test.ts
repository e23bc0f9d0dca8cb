// The persisted-operations manifest is what `npm run codegen` writes from operations/ now (issue
// 12): codegen runs in a temporary copy of the inputs and must give back the committed manifest
// and typed documents byte for byte; every entry is the sha256 of its document, one per operation.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPersistedManifest } from '../../src/plugins/persisted-manifest.js';

const root = join(import.meta.dirname, '..', '..');
const OUTPUTS = ['operations/persisted-documents.json', 'test/generated/graphql.ts'];

describe('the manifest', () => {
  let copy: string;
  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'codegen-'));
    for (const file of ['codegen.ts', 'schema.graphql', 'package.json']) {
      cpSync(join(root, file), join(copy, file));
    }
    cpSync(join(root, 'operations'), join(copy, 'operations'), {
      recursive: true,
      filter: (source) => !source.endsWith('.json'),
    });
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  });
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it('is what npm run codegen writes from operations/', async () => {
    const bin = join(root, 'node_modules', '@graphql-codegen', 'cli', 'esm', 'bin.js');
    await promisify(execFile)(process.execPath, [bin, '--config', 'codegen.ts'], { cwd: copy });
    for (const output of OUTPUTS) {
      expect(readFileSync(join(copy, output), 'utf8'), `${output} is stale: npm run codegen`).toBe(
        readFileSync(join(root, output), 'utf8'),
      );
    }
  }, 60_000);

  it('holds one checked entry per example operation', () => {
    const operations = readdirSync(join(root, 'operations')).filter((file) =>
      file.endsWith('.graphql'),
    );
    const manifest = readPersistedManifest();
    expect(manifest.size).toBe(operations.length);
    for (const [id] of manifest) expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
