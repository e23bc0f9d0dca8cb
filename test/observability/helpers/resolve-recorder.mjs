// Module hooks (node:module register) for otel-loading.test.ts: appends every URL a module import
// resolves to, to the file named in `data.file`, synchronously, before the module loads.
import { appendFileSync } from 'node:fs';

let file;

export function initialize(data) {
  file = data.file;
}

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  appendFileSync(file, `${result.url}\n`);
  return result;
}
