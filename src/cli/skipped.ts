/** The line on stderr after a run that skipped rows for a missing value (--missing skip). */
import { say, type World } from './world.js';

/** How many skipped line numbers are kept for the message. */
export const SKIPPED_SHOWN = 5;

/** `skipped 6 rows with a missing value (lines 3, 4, 5, 7, 8, ...)`; in an engine `rows` (numbers or PostgreSQL ctids); nothing when none was skipped. */
export function saySkipped(world: World, skipped: number, firstLines: readonly (number | string)[], unit: 'line' | 'row' = 'line'): void {
  if (skipped === 0) return;
  const s = skipped === 1 ? '' : 's';
  const more = skipped > SKIPPED_SHOWN ? ', ...' : '';
  say(world, `skipped ${skipped} row${s} with a missing value (${unit}${s} ${firstLines.slice(0, SKIPPED_SHOWN).join(', ')}${more})`);
}
