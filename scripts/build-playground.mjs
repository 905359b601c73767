// The playground's page: src/playground/main.ts bundled for the browser by esbuild (with the pure
// modules it imports from src/neuron, src/learn and src/render), and its HTML and CSS, into
// dist/playground/. Run by `npm run build` after tsc; the server reads these three files at start.
import { copyFileSync, mkdirSync } from 'node:fs';
import { build } from 'esbuild';

const out = 'dist/playground';
mkdirSync(out, { recursive: true });
await build({
  entryPoints: ['src/playground/main.ts'],
  outfile: `${out}/app.js`,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  legalComments: 'none',
  minify: true,
  logLevel: 'warning',
});
for (const file of ['index.html', 'app.css']) copyFileSync(`src/playground/${file}`, `${out}/${file}`);
