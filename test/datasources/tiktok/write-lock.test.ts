// The in-process write section: one holder per key at a time, in arrival order; a caller that
// waits too long is refused without running, and the callers behind it still wait for the holder.
import { describe, expect, it } from 'vitest';
import {
  createInProcessWriteLock,
  WriteLockUnavailableError,
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
