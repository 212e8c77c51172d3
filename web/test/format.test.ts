import t from 'tap';
import { formatCountdown, formatKm, formatMoney, formatWait, formatWhen, formatWhenLong, utcToZoned, zonedToUtc } from '../src/format.js';

t.test('money in minor units reads in its currency', async (t) => {
  t.equal(formatMoney(6500, 'GBP'), '£65.00');
  t.equal(formatMoney(1200, 'JPY'), 'JP¥1,200', 'no minor unit');
  t.equal(formatMoney(5, 'XYZ'), 'XYZ 0.05'.replace(' ', '\u00a0'));
});

t.test('times read in the venue’s zone with the zone named', async (t) => {
  t.equal(formatWhen('2027-03-01T19:30:00Z', 'Europe/London'), 'Mon, 1 Mar 2027, 19:30 GMT');
  t.equal(formatWhen('2027-07-01T19:30:00Z', 'Europe/London'), 'Thu, 1 Jul 2027, 20:30 BST');
  t.same(formatWhenLong('2027-03-01T08:00:00Z', 'Australia/Sydney'), { date: 'Monday, 1 March 2027 at 19:00', zone: 'GMT+11 (Australia/Sydney)' });
});

t.test('a wall-clock time at the venue converts to UTC and back, across summer time', async (t) => {
  t.equal(zonedToUtc('2031-06-05T19:30', 'Europe/London'), '2031-06-05T18:30:00.000Z');
  t.equal(zonedToUtc('2031-01-05T19:30', 'Europe/London'), '2031-01-05T19:30:00.000Z');
  t.equal(zonedToUtc('2031-03-30T12:00', 'America/New_York'), '2031-03-30T16:00:00.000Z');
  t.equal(zonedToUtc('2031-03-30T12:00', 'Asia/Kolkata'), '2031-03-30T06:30:00.000Z');
  t.equal(utcToZoned('2031-06-05T18:30:00.000Z', 'Europe/London'), '2031-06-05T19:30');
  t.throws(() => zonedToUtc('tomorrow', 'UTC'));
});

t.test('countdowns, waits and distances', async (t) => {
  t.equal(formatCountdown(299_001), '5:00');
  t.equal(formatCountdown(61_000), '1:01');
  t.equal(formatCountdown(-5), '0:00');
  t.equal(formatWait(20), 'less than a minute');
  t.equal(formatWait(60), 'about 1 minute');
  t.equal(formatWait(7200), 'about 2 hours');
  t.equal(formatKm(3.24), '3.2 km away');
  t.equal(formatKm(42.6), '43 km away');
});
