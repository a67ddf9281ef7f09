// Automatic solver: node solve.mjs <path to notes.enc>  → prints the flag.
// Known-plaintext attack: every note starts with "FLAGSTAGE-NOTES v1\n", longer than the key.
import { readFileSync } from 'node:fs';

const data = readFileSync(
  process.argv[2] ?? new URL('./files/notes.enc', import.meta.url),
);
const known = Buffer.from('FLAGSTAGE-NOTES v1\n', 'utf8');
const stream = Buffer.alloc(known.length);
for (let i = 0; i < known.length; i++) stream[i] = data[i] ^ known[i];

// The smallest period of the recovered key stream is the key.
let key = stream;
for (let len = 1; len <= stream.length / 2; len++) {
  if (stream.every((b, i) => b === stream[i % len])) {
    key = stream.subarray(0, len);
    break;
  }
}
const plain = Buffer.alloc(data.length);
for (let i = 0; i < data.length; i++) plain[i] = data[i] ^ key[i % key.length];
const match = plain.toString('utf8').match(/flagstage\{[^}]+\}/);
if (!match) {
  console.error('no flag found');
  process.exit(1);
}
console.log(match[0]);
