// `npm start` and the CLIs (`npm run oauth|doctor|emulator`): run one entry point of the compiled
// gateway in dist/, building dist/ first when it is missing or was built from other sources.
// `npm run build` (`--build`) always builds, type-checked. Plain JavaScript so that it runs with no
// dev dependency installed (production: `npm ci --omit=dev`).
//
// The entry is imported into this process, not spawned. The npm scripts `exec` node, so no shell
// sits between npm and it: the SIGTERM/SIGINT npm forwards to its child lands on the gateway's own
// handlers. A wrapper process would have to relay signals, and on Ctrl+C the terminal already
// signals the whole process group, so a relay would deliver the signal twice.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');
/** What tsc reads for the build: a change to any of these makes dist/ stale. */
const BUILD_INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json'];
/** Written after a successful build: the fingerprint of the inputs it was built from. */
const STAMP_FILE = '.sources.sha256';

/**
 * SHA-256 over the path and bytes of every build input (about 200 files: a few milliseconds), or
 * undefined when there are no sources (an image that ships dist/ only).
 * @param {string} root
 * @returns {string | undefined}
 */
export function sourcesFingerprint(root) {
  if (!existsSync(join(root, 'src'))) return undefined;
  const hash = createHash('sha256');
  const files = BUILD_INPUTS.flatMap((input) => listFiles(root, input)).sort();
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/**
 * @param {string} root
 * @param {string} path relative to root
 * @returns {string[]} files under path, relative to root, with `/` separators
 */
function listFiles(root, path) {
  const absolute = join(root, path);
  if (!existsSync(absolute)) return [];
  if (!statSync(absolute).isDirectory()) return [path];
  return readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

/**
 * Why dist/ must be built before running, or undefined when it is current.
 * @param {string} root
 * @returns {string | undefined}
 */
export function staleReason(root) {
  const fingerprint = sourcesFingerprint(root);
  if (fingerprint === undefined) return undefined;
  const stampPath = join(root, 'dist', STAMP_FILE);
  if (!existsSync(stampPath)) return 'dist/ has not been built yet';
  if (readFileSync(stampPath, 'utf8').trim() !== fingerprint) return 'src/ changed since the build';
  return undefined;
}

/**
 * tsc into a fresh staging directory, stamped, then swapped in for dist/: no module is left over
 * from a deleted source, and two builds at once (`npm run emulator` and `npm start` in two
 * terminals) each swap in a complete dist/ instead of deleting the other's files mid-build.
 * `typeCheck: false` emits without checking types (TypeScript's --noCheck): the same files, about
 * a third of the time; types are checked by `npm run build`, `npm run typecheck` and CI.
 * @param {{ typeCheck: boolean }} options
 */
function build({ typeCheck }) {
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    fail(
      'dist/ needs building, and TypeScript is not installed (a production install omits dev ' +
        'dependencies). Run `npm run build` where they are installed, or `npm ci` here.',
    );
  }
  const fingerprint = sourcesFingerprint(ROOT);
  const staging = `${DIST}.building-${process.pid}`;
  const previous = `${DIST}.previous-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const args = [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', staging];
  if (!typeCheck) args.push('--noCheck');
  // tsc reports on stdout; stderr keeps a CLI's own stdout clean.
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    fail(`Build failed (tsc exit ${result.status ?? result.signal}).`);
  }
  if (fingerprint !== undefined) writeFileSync(join(staging, STAMP_FILE), `${fingerprint}\n`);
  renameIfPresent(DIST, previous);
  // Another build may have swapped its dist/ in meanwhile: built from the same sources, it stays.
  if (!renameIfPresent(staging, DIST)) rmSync(staging, { recursive: true, force: true });
  rmSync(previous, { recursive: true, force: true });
}

/**
 * @param {string} from
 * @param {string} to
 * @returns {boolean} whether it moved (false: `from` is gone, or `to` exists now)
 */
function renameIfPresent(from, to) {
  try {
    renameSync(from, to);
    return true;
  } catch (error) {
    const code = /** @type {NodeJS.ErrnoException} */ (error).code;
    if (code === 'ENOENT' || code === 'ENOTEMPTY' || code === 'EEXIST') return false;
    throw error;
  }
}

/** @param {string} message @returns {never} */
function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function main() {
  const [first, ...rest] = process.argv.slice(2);
  if (first === '--build') {
    build({ typeCheck: true });
    return;
  }
  if (!first) fail('Usage: node scripts/run-compiled.js <entry in dist/, e.g. server.js> [args…]');
  const entry = resolve(DIST, first);
  if (!entry.startsWith(DIST + sep)) fail(`Not an entry point in dist/: ${first}`);
  const reason = staleReason(ROOT);
  if (reason) {
    process.stderr.write(`Building dist/ (${reason})…\n`);
    build({ typeCheck: false });
  }
  if (!existsSync(entry)) fail(`No ${relative(ROOT, entry)}: is "${first}" built from src/?`);
  // The entry reads its own arguments (parseArgs) from process.argv, as if node had run it.
  process.argv.splice(1, process.argv.length - 1, entry, ...rest);
  await import(pathToFileURL(entry).href);
}

// Imported by its test for the fingerprint; run by npm otherwise.
if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main();
