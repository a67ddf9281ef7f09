/* eslint-disable no-console -- a build script: printing the size is its job */
// Prints the gzipped size of the JavaScript index.html loads up front (the
// entry module and its modulepreloads) and fails above the budget.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUDGET = 150 * 1024;
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
let html;
try {
  html = readFileSync(join(dist, 'index.html'), 'utf8');
} catch {
  console.error(
    'dist/index.html is missing: run `yarn build` in packages/play first.',
  );
  process.exit(1);
}
const files = new Set();
for (const m of html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g))
  files.add(m[1]);
for (const m of html.matchAll(
  /<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g,
))
  files.add(m[1]);
let total = 0;
for (const f of files) {
  const bytes = readFileSync(join(dist, f.replace(/^\/play\//, '')));
  const gz = gzipSync(bytes, { level: 9 }).length;
  total += gz;
  console.log(
    `  ${f}  ${(bytes.length / 1024).toFixed(1)} KiB raw, ${(gz / 1024).toFixed(
      1,
    )} KiB gzipped`,
  );
}
const line = `initial JS: ${(total / 1024).toFixed(1)} KiB gzipped (budget ${
  BUDGET / 1024
} KiB)`;
if (files.size === 0 || total > BUDGET) {
  console.error(
    `${line}: ${files.size === 0 ? 'no entry script found' : 'OVER BUDGET'}`,
  );
  process.exit(1);
}
console.log(line);
