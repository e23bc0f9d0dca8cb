// Module hooks (node:module register) for otel-loading.test.ts: appends every URL a module import
// resolves to, to the file named in `data.file`, synchronously, before the module loads.
import { appendFileSync } from 'node:fs';

/** @type {string} */
let file = '';

/** @param {{ file: string }} data */
export function initialize(data) {
  file = data.file;
}

/**
 * @param {string} specifier
 * @param {unknown} context
 * @param {(specifier: string, context: unknown) => Promise<{ url: string }>} nextResolve
 */
export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  appendFileSync(file, `${result.url}\n`);
  return result;
}
