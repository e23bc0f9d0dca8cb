// Where the gateway finds the repository's files it reads at run time (operations/ and the
// persisted-operations manifest in it): beside src/ under tsx, beside dist/ when compiled, or in
// the working directory.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The first existing `<root>/<segments…>`; undefined when none exists. */
export function findProjectPath(...segments: string[]): string | undefined {
  const candidates = [
    resolve(import.meta.dirname, '..', ...segments),
    resolve(import.meta.dirname, '..', '..', ...segments),
    resolve(process.cwd(), ...segments),
  ];
  return candidates.find((candidate) => existsSync(candidate));
}
