// The in-process write section: one holder per key at a time, in arrival order; a caller that
// waits too long is refused without running, and the callers behind it still wait for the holder.
// withLocks (a bulk write's sections held together): no cycle between callers of the same keys in
// opposite orders, a refused key reported beside the held ones, an early release let through.
import { describe, expect, it } from 'vitest';
import {
  createInProcessWriteLock,
  type HeldSection,
  WriteLockUnavailableError,
  withLocks,
} from '../../../src/datasources/tiktok/write-lock.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('createInProcessWriteLock', () => {
  it('runs one holder per key at a time, in arrival order; other keys run alongside', async () => {
    const lock = createInProcessWriteLock({ waitMs: 10_000 });
    let inside = 0;
    let mostInside = 0;
    const order: string[] = [];
    const hold = (key: string, name: string) =>
      lock.withLock(key, async (held) => {
        expect(held.isHeld()).toBe(true);
        inside += key === 'a' ? 1 : 0;
        mostInside = Math.max(mostInside, inside);
        await tick();
        order.push(name);
        inside -= key === 'a' ? 1 : 0;
      });
    await Promise.all([hold('a', 'a1'), hold('a', 'a2'), hold('b', 'b1'), hold('a', 'a3')]);
    expect(mostInside).toBe(1);
    expect(order.filter((name) => name.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    // b did not wait for a's queue.
    expect(order.indexOf('b1')).toBeLessThan(order.indexOf('a3'));
  });

  it('refuses a caller that waited longer than waitMs, without running it', async () => {
    const lock = createInProcessWriteLock({ waitMs: 200 });
    let release = () => {};
    const holder = lock.withLock('a', () => new Promise<void>((resolve) => (release = resolve)));
    let ran = false;
    const refused = await lock
      .withLock('a', async () => {
        ran = true;
      })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(WriteLockUnavailableError);
    expect(refused).toMatchObject({ reason: 'busy', key: 'a' });
    expect(ran).toBe(false);
    // The next caller still waits for the holder, not for the refused one.
    let isNextDone = false;
    const after = lock.withLock('a', async () => {
      isNextDone = true;
    });
    await tick();
    expect(isNextDone).toBe(false);
    release();
    await holder;
    await after;
    expect(isNextDone).toBe(true);
  });

  it('releases after a failing holder', async () => {
    const lock = createInProcessWriteLock({ waitMs: 1_000 });
    await expect(
      lock.withLock('a', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(lock.withLock('a', async () => 'next')).resolves.toBe('next');
  });
});

describe('withLocks', () => {
  it('holds every key during the work; callers of the same keys in opposite orders both run', async () => {
    const lock = createInProcessWriteLock({ waitMs: 1_000 });
    const inside = new Map<string, number>();
    let mostInside = 0;
    const hold = (keys: string[]) =>
      withLocks(lock, keys, async (sections) => {
        expect([...sections.keys()]).toEqual([...keys].sort());
        for (const key of keys) {
          expect((sections.get(key) as HeldSection).held.isHeld()).toBe(true);
          inside.set(key, (inside.get(key) ?? 0) + 1);
          mostInside = Math.max(mostInside, inside.get(key) ?? 0);
        }
        await tick();
        for (const key of keys) inside.set(key, (inside.get(key) ?? 0) - 1);
        return keys.join();
      });
    // Taken in the callers' own orders, these two would each hold one key and wait for the other
    // until waitMs ran out.
    await expect(Promise.all([hold(['a', 'b', 'c']), hold(['c', 'b', 'a'])])).resolves.toEqual([
      'a,b,c',
      'c,b,a',
    ]);
    expect(mostInside).toBe(1);
  });

  it('reports a key it cannot have beside the keys it holds, and releases them all after', async () => {
    const lock = createInProcessWriteLock({ waitMs: 100 });
    let release = () => {};
    const blocker = lock.withLock('b', () => new Promise<void>((resolve) => (release = resolve)));
    const kinds = await withLocks(lock, ['a', 'b', 'c'], async (sections) =>
      [...sections].map(([key, section]) =>
        section instanceof WriteLockUnavailableError ? `${key}:${section.reason}` : `${key}:held`,
      ),
    );
    expect(kinds).toEqual(['a:held', 'b:busy', 'c:held']);
    release();
    await blocker;
    await expect(lock.withLock('a', async () => 'a free')).resolves.toBe('a free');
    await expect(lock.withLock('c', async () => 'c free')).resolves.toBe('c free');
  });

  it('lets the next writer of a key in when it is released early, before the work ends', async () => {
    const lock = createInProcessWriteLock({ waitMs: 1_000 });
    const order: string[] = [];
    await withLocks(lock, ['a', 'b'], async (sections) => {
      const next = lock.withLock('a', async () => {
        order.push('next writer of a');
      });
      (sections.get('a') as HeldSection).release();
      await next;
      order.push('work ends');
    });
    expect(order).toEqual(['next writer of a', 'work ends']);
  });
});
