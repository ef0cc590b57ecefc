import { describe, expect, it } from 'vitest';
import { batch, effect, signal } from './signals.js';

describe('signals', () => {
  it('runs an effect now and again after each change of what it read', () => {
    const a = signal(1);
    const b = signal('x');
    const seen: string[] = [];
    const stop = effect(() => {
      seen.push(a.value > 1 ? `${a.value}${b.value}` : String(a.value));
    });
    b.value = 'y'; // not read last time: nothing runs
    a.value = 2;
    b.value = 'z';
    a.value = 2; // the same value: nothing runs
    stop();
    a.value = 3;
    expect(seen).toEqual(['1', '2y', '2z']);
  });

  it('runs each effect once per batch, after it, with the last values', () => {
    const a = signal(0);
    const seen: number[] = [];
    effect(() => {
      seen.push(a.value);
    });
    const result = batch(() => {
      a.value = 1;
      batch(() => {
        a.value = 2;
      });
      expect(seen).toEqual([0]);
      return 'done';
    });
    expect(result).toBe('done');
    expect(seen).toEqual([0, 2]);
  });

  it('does not make an effect depend on what it peeks at', () => {
    const a = signal(0);
    let runs = 0;
    effect(() => {
      runs++;
      a.peek();
    });
    a.value = 1;
    expect(runs).toBe(1);
  });

  it('runs effects queued by effects in the same round, and keeps going past an error', () => {
    const a = signal(0);
    const b = signal(0);
    const seen: number[] = [];
    effect(() => {
      if (a.value === 1) throw new Error('boom');
    });
    effect(() => {
      b.value = a.value * 10;
    });
    effect(() => {
      seen.push(b.value);
    });
    expect(() => {
      a.value = 1;
    }).toThrow('boom');
    expect(seen).toEqual([0, 10]);
    a.value = 2;
    expect(seen).toEqual([0, 10, 20]);
  });

  it('lets an effect stopped while others run stay stopped', () => {
    const a = signal(0);
    const seen: number[] = [];
    let stopB = () => {};
    effect(() => {
      if (a.value === 1) stopB();
    });
    stopB = effect(() => {
      seen.push(a.value);
    });
    a.value = 1;
    a.value = 2;
    expect(seen).toEqual([0]);
  });

  it('stops an effect that keeps changing what it reads instead of hanging', () => {
    const a = signal(0);
    expect(() =>
      effect(() => {
        a.value = a.value + 1;
      }),
    ).toThrow(/keeps changing/);
  });
});
