import { ReusableBuffer, REUSE_FROM_BYTES } from '../../runtime/reusable-buffer';

const LARGE = REUSE_FROM_BYTES * 2;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ReusableBuffer', () => {
  test('a released large buffer is lent again, for the same or a smaller size', () => {
    const pool = new ReusableBuffer();
    const a = pool.borrow(LARGE);
    expect(a.length).toBe(LARGE);
    pool.release(a);
    const b = pool.borrow(LARGE - 5);
    expect(b.length).toBe(LARGE - 5);
    expect(b.buffer).toBe(a.buffer);
    pool.release(b);
    const c = pool.borrow(LARGE + 1);
    expect(c.length).toBe(LARGE + 1);
    expect(c.buffer).not.toBe(a.buffer);
  });

  test('memory still lent out, forgotten, or small is never handed out twice', () => {
    const pool = new ReusableBuffer();
    const a = pool.borrow(LARGE);
    const b = pool.borrow(LARGE);
    expect(b.buffer).not.toBe(a.buffer);
    pool.release(b); // not the kept one: no effect
    expect(pool.borrow(LARGE).buffer).not.toBe(a.buffer);
    pool.release(a);
    pool.forget(a);
    expect(pool.holding).toBe(false);
    expect(pool.borrow(LARGE).buffer).not.toBe(a.buffer);
    const small = pool.borrow(REUSE_FROM_BYTES - 1);
    pool.release(small);
    expect(pool.borrow(REUSE_FROM_BYTES - 1).buffer).not.toBe(small.buffer);
  });

  test('the kept buffer is let go after the idle time, but not while it is lent out', async () => {
    const pool = new ReusableBuffer(20);
    const a = pool.borrow(LARGE);
    pool.release(a);
    const b = pool.borrow(LARGE);
    await sleep(60);
    expect(pool.holding).toBe(true);
    pool.release(b);
    expect(pool.holding).toBe(true);
    await sleep(60);
    expect(pool.holding).toBe(false);
  });
});
