/**
 * The README's pictures (docs/pictures/*.png) are current: docs/pictures/make.sh,
 * run into a temporary folder with the built neuron, makes the same files,
 * byte for byte. After a change to the pictures, run `sh docs/pictures/make.sh`
 * and look at the result before committing it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/helpers.js';

const committed = join(ROOT, 'docs', 'pictures');
const pngs = (dir: string) =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.png'))
    .sort();

describe('README pictures', () => {
  const fresh = mkdtempSync(join(tmpdir(), 'neuron-readme-pictures-'));
  // Run while the tests are collected, so no test's time limit applies to it.
  execFileSync('sh', [join(committed, 'make.sh'), fresh], { stdio: ['ignore', 'ignore', 'ignore'], env: { PATH: process.env.PATH ?? '' } });

  it('the script makes the pictures that are committed, and the README shows each', () => {
    expect(pngs(fresh)).toEqual(pngs(committed));
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const name of pngs(committed)) expect(readme).toContain(`](docs/pictures/${name})`);
  });

  it.each(pngs(committed))('%s is what make.sh makes today', (name) => {
    expect(readFileSync(join(fresh, name)).equals(readFileSync(join(committed, name)))).toBe(true);
  });
});
