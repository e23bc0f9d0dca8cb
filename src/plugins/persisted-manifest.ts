// The persisted-operations manifest (issue 12): `{ "sha256:<hex>": "<document>", … }`, as
// codegen's client preset writes it (`npm run codegen` writes operations/persisted-documents.json
// from operations/*.graphql; a frontend's own codegen writes one for its operations). Read once at
// start; each key must be the sha256 of its document, so a hand-edited entry stops the start.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { ConfigError } from '../config.js';
import { findProjectPath } from '../project-files.js';

/** The gateway's own manifest, beside operations/*.graphql. */
export const BUILT_IN_MANIFEST = ['operations', 'persisted-documents.json'] as const;

/** Persisted operation id (`sha256:<hex>`) → document. */
export type PersistedManifest = ReadonlyMap<string, string>;

/** The manifest at `path` (default: the built-in one); a ConfigError naming the problem. */
export function readPersistedManifest(path?: string): PersistedManifest {
  const file = path ?? findProjectPath(...BUILT_IN_MANIFEST);
  const problem = (text: string) =>
    new ConfigError([
      `PERSISTED_OPERATIONS_MANIFEST: ${file ?? BUILT_IN_MANIFEST.join('/')} ${text}`,
    ]);
  if (!file || !existsSync(file)) {
    throw problem(path ? 'does not exist' : 'does not exist (run `npm run codegen`)');
  }
  let entries: unknown;
  try {
    entries = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw problem(`cannot be read as JSON (${(error as Error).message})`);
  }
  if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) {
    throw problem('must be a JSON object of "sha256:<hex>": "<document>" entries');
  }
  const manifest = new Map<string, string>();
  for (const [id, document] of Object.entries(entries)) {
    if (typeof document !== 'string' || id !== persistedOperationId(document)) {
      throw problem(`has an entry whose key is not sha256:<hex of its document>: ${id}`);
    }
    manifest.set(id, document);
  }
  return manifest;
}

/** The id the client preset gives a document: `sha256:` and the hex digest of its text. */
export function persistedOperationId(document: string): string {
  return `sha256:${createHash('sha256').update(document).digest('hex')}`;
}
