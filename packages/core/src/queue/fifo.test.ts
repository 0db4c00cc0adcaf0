import { expect, test } from '@jest/globals';
import * as fc from 'fast-check';
import { DelayHeap } from './delayHeap.js';
import { Fifo } from './fifo.js';

test('the ring buffer behaves as an array queue across growth and wrap-around', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.integer(), fc.constant(null)), { maxLength: 300 }), (ops) => {
      const fifo = new Fifo<number>(2);
      const model: number[] = [];
      const got: (number | undefined)[] = [];
      const want: (number | undefined)[] = [];
      for (const op of ops) {
        if (op === null) {
          got.push(fifo.shift(), fifo.length);
          want.push(model.shift(), model.length);
        } else {
          fifo.push(op);
          model.push(op);
        }
      }
      expect(got).toEqual(want);
      expect(fifo.length).toBe(model.length);
    }),
  );
});

test('the delay heap pops by time, then by insertion order', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (times) => {
      const heap = new DelayHeap<number>();
      times.forEach((at, i) => heap.push(i, at));
      const expected = times.map((at, i) => ({ at, i })).sort((a, b) => a.at - b.at || a.i - b.i);
      const popped: number[] = [];
      for (let e = heap.pop(); e !== undefined; e = heap.pop()) popped.push(e.key);
      expect(popped).toEqual(expected.map((e) => e.i));
    }),
  );
});
