import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../electron/core/lifecycle/clock';
import { EXPIRATION_NOTICE_DAYS, noticesDue } from '../../electron/core/lifecycle/scheduler';

const DUE = Date.parse('2027-03-01T00:00:00Z');
const day = (n: number) => DUE + n * DAY_MS;
const days = (start: number, now: number) => noticesDue(EXPIRATION_NOTICE_DAYS, DUE, start, now).map((n) => [n.days, (n.at - DUE) / DAY_MS]);

describe('notices due for one event', () => {
  it('gives each threshold on its own day once it has passed', () => {
    expect(days(day(-100), day(-31))).toEqual([]);
    expect(days(day(-100), day(-30))).toEqual([[30, -30]]);
    expect(days(day(-100), day(-1))).toEqual([[30, -30], [7, -7], [1, -1]]);
  });

  it('gives only the tightest missed threshold, at once, for an event learnt late', () => {
    expect(days(day(-10), day(-10))).toEqual([[30, -10]]);
    expect(days(day(-4), day(-4))).toEqual([[7, -4]]);
    expect(days(day(-4), day(-1))).toEqual([[1, -1], [7, -4]]);
  });

  it('does not depend on when it is asked: a later pass sees the same notices with the same dates', () => {
    expect(days(day(-4), day(5))).toEqual(days(day(-4), day(-1)));
  });

  it('gives nothing for an event known only after it happened', () => {
    expect(days(day(2), day(3))).toEqual([]);
  });
});
