// Regenerates files/notes.enc: repeating-key XOR of the note below (author-only tool).
import { writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';

const KEY = Buffer.from('k3yX0r', 'utf8'); // 6 bytes
const NOTE = `FLAGSTAGE-NOTES v1
Meeting notes, do not share.
- rotate the staging keys on Friday
- the vault phrase is flagstage{x0r_is_n0t_encrypti0n}
- lunch: the usual place
`;

const plain = Buffer.from(NOTE, 'utf8');
const out = Buffer.alloc(plain.length);
for (let i = 0; i < plain.length; i++) out[i] = plain[i] ^ KEY[i % KEY.length];
writeFileSync(new URL('./files/notes.enc', import.meta.url), out);
console.log(
  `files/notes.enc sha256 ${createHash('sha256').update(out).digest('hex')}`,
);
