import type { Page } from 'playwright-core';
import type { Server } from './harness.js';

/** A stadium of 100,000 seats: 50 blocks of 50 rows of 40. */
export const STADIUM_SECTIONS = Array.from({ length: 50 }, (_, i) => ({
  id: `S${i + 1}`,
  name: `Block ${i + 1}`,
  kind: 'seated' as const,
  rows: Array.from({ length: 50 }, (_, r) => ({ label: String(r + 1), seats: 40 })),
}));

export type MapTimings = {
  /** Navigation start to the first seat being a focusable, enabled control (the map is usable). */
  readonly usableMs: number;
  /** A click on another section's tile to its seats being usable. */
  readonly sectionSwitchMs: number;
  /** A click on a seat to it showing as picked. */
  readonly pickMs: number;
  readonly seatButtons: number;
};

/** Opens the event page in a fresh page and times the seat map the way a buyer meets it. */
export const measureMap = async (page: Page, server: Server, eventId: string): Promise<MapTimings> => {
  const start = Date.now();
  await page.goto(`${server.url}/event/${eventId}`, { waitUntil: 'commit' });
  const first = page.getByRole('region', { name: 'Seat map' }).getByRole('button', { name: /^S1-1-1\b/ });
  await first.waitFor({ timeout: 60_000 });
  await first.focus();
  const usableMs = Date.now() - start;

  const switchStart = Date.now();
  await page.getByRole('button', { name: /^Block 37\b/ }).click();
  await page.getByRole('button', { name: /^S37-50-40\b/ }).waitFor({ timeout: 60_000 });
  const sectionSwitchMs = Date.now() - switchStart;

  const pickStart = Date.now();
  const seat = page.getByRole('button', { name: /^S37-25-20\b/ });
  await seat.click();
  await page.locator('[data-seat="S37-25-20"][aria-pressed="true"]').waitFor();
  const pickMs = Date.now() - pickStart;

  const seatButtons = await page.locator('[data-seat]').count();
  return { usableMs, sectionSwitchMs, pickMs, seatButtons };
};

export const createStadiumEvent = async (server: Server, onSale: (s: Server, o: { name: string; venue: { name: string; sections: unknown[] } }) => Promise<{ eventId: string }>) =>
  onSale(server, { name: 'Stadium Night', venue: { name: 'Big Stadium', sections: STADIUM_SECTIONS } });
