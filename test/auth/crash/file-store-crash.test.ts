// Issue 10, "seller tokens survive crashes", for the file store: writers in child processes are
// killed (SIGKILL) while they hold the lock or write, and the next process saves at once (the
// age-based stale bound is set far beyond the test), loses no save that was reported done, and
// finds no leftover temp or lock files.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { identityTag, thisProcess } from '../../../src/auth/file-store-lock.js';
import { createFileTokenStore } from '../../../src/auth/file-token-store.js';
import { seller } from '../token-store-battery.js';
import { createWriterPool, startWriter, type Writer } from './writers.js';

/** Far beyond any run of these tests: a lock freed in time was freed because its owner died. */
const NEVER_STALE_MS = 600_000;
const KILL_CYCLES = 20;

let directory: string;
let path: string;
let key: Buffer;
const writers: Writer[] = [];

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'token-store-crash-'));
  path = join(directory, 'tokens.json');
  key = randomBytes(32);
});

afterEach(async () => {
  await Promise.all(writers.splice(0).map((writer) => writer.kill()));
  await rm(directory, { recursive: true, force: true });
});

function open(staleLockMs = NEVER_STALE_MS) {
  return createFileTokenStore({ path, encryptionKey: key, staleLockMs });
}

async function started(args: string[]): Promise<Writer> {
  const writer = startWriter(args, key);
  writers.push(writer);
  await writer.waitFor(/^ready$/);
  writer.go();
  return writer;
}

/** The open_ids a writer reported saved. */
function savedBy(writer: Writer): string[] {
  return writer.lines.flatMap((line) => /^saved (\S+)$/.exec(line)?.[1] ?? []);
}

describe('file store: a lock whose owner is killed', () => {
  it('is taken over at once, and racing waiters still write one at a time', async () => {
    const holder = await started(['hold', path]);
    await holder.waitFor(/^locked$/);
    // Waiting for a live owner: these saves cannot start while it holds the lock.
    const first = open();
    const second = open();
    const saves = Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        (index % 2 === 0 ? first : second).saveSeller(seller(`parent-${index}`)),
      ),
    );
    const racers = await Promise.all([
      started(['file', path, 'child-a']),
      started(['file', path, 'child-b']),
    ]);
    expect((await open().load()).sellers).toEqual([]);
    expect(existsSync(`${path}.lock`)).toBe(true);

    // Left behind by the crash: the waiters take it over as soon as they see its owner gone.
    await holder.kill();
    await saves;
    await Promise.all(racers.map((racer) => racer.waitFor(/^saved \S+-4$/)));
    await Promise.all(racers.map((racer) => racer.kill()));

    // Every save reported done is there: no two writers ever overwrote each other.
    const stored = new Set((await open().load()).sellers.map((record) => record.openId));
    const reported = [
      ...Array.from({ length: 20 }, (_, index) => `parent-${index}`),
      ...racers.flatMap(savedBy),
    ];
    expect(reported.filter((openId) => !stored.has(openId))).toEqual([]);
  });

  it('is waited for while its owner lives, and taken over by age only as the last resort', async () => {
    const holder = await started(['hold', path]);
    await holder.waitFor(/^locked$/);
    // The owner lives: only the age rule frees its lock.
    await open(200).saveSeller(seller('seller-a'));
    expect((await open().getSeller('seller-a'))?.openId).toBe('seller-a');
    await holder.kill();
    await open().saveSeller(seller('seller-b'));
    expect(await readdir(directory)).toEqual(['tokens.json']);
  });

  it('refuses a give-up bound that a stale lock could outlast', () => {
    expect(() =>
      createFileTokenStore({ path, encryptionKey: key, staleLockMs: 1_000, lockTimeoutMs: 1_000 }),
    ).toThrow(RangeError);
  });
});

describe('file store: leftovers', () => {
  it('removes temp files of gone or old writers when it opens, and keeps a live writer’s', async () => {
    const live = join(
      directory,
      `.tokens.json.${identityTag(thisProcess())}.${'a'.repeat(12)}.tmp`,
    );
    // No process has this pid (above Linux's pid_max).
    const goneWriter = { ...thisProcess(), pid: 999_999_999 };
    const gone = join(directory, `.tokens.json.${identityTag(goneWriter)}.${'b'.repeat(12)}.tmp`);
    const earlierVersion = join(directory, `.tokens.json.12345.${'c'.repeat(12)}.tmp`);
    const otherStore = join(directory, `.other.json.12345.${'d'.repeat(12)}.tmp`);
    for (const file of [live, gone, earlierVersion, otherStore]) await writeFile(file, 'partial');
    const longAgo = new Date(Date.now() - 2 * NEVER_STALE_MS);
    await utimes(earlierVersion, longAgo, longAgo);
    await utimes(otherStore, longAgo, longAgo);

    await open().load();
    expect((await readdir(directory)).sort()).toEqual(
      [live, otherStore].map((file) => file.slice(directory.length + 1)).sort(),
    );
  });

  it('takes over a lock file of an earlier version (its pid only) once it is stale', async () => {
    await writeFile(`${path}.lock`, '12345');
    const longAgo = new Date(Date.now() - 2 * NEVER_STALE_MS);
    await utimes(`${path}.lock`, longAgo, longAgo);
    await open().saveSeller(seller('seller-a'));
    expect(await readdir(directory)).toEqual(['tokens.json']);
  });
});

describe('file store: kill -9 during saves', () => {
  it(`loses no reported save in ${KILL_CYCLES} kill cycles and leaves no orphan files`, async () => {
    const pool = createWriterPool(4, (index) => startWriter(['file', path, `w${index}`], key));
    const reported: string[] = [];
    const left = { lock: 0, temp: 0 };
    try {
      for (let cycle = 0; cycle < KILL_CYCLES; cycle += 1) {
        const writer = await pool.take();
        writers.push(writer);
        writer.go();
        // Its first save gets past whatever the previous writer left (the lock, a temp file).
        await writer.waitFor(/^saved /);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 15));
        await writer.kill();
        reported.push(...savedBy(writer));
        const names = await readdir(directory);
        if (names.includes('tokens.json.lock')) left.lock += 1;
        if (names.some((name) => name.endsWith('.tmp'))) left.temp += 1;
      }
    } finally {
      await pool.close();
    }

    const restarted = open();
    const stored = new Set((await restarted.load()).sellers.map((record) => record.openId));
    const lost = reported.filter((openId) => !stored.has(openId));
    console.info(
      `${KILL_CYCLES} kill cycles: ${reported.length} saves reported, ${lost.length} lost; ` +
        `killed holding the lock ${left.lock}×, with a temp file ${left.temp}×`,
    );
    expect(lost).toEqual([]);
    await restarted.saveSeller(seller('after-restart'));
    expect(await readdir(directory)).toEqual(['tokens.json']);
  });
});
