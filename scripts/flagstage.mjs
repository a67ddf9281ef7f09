#!/usr/bin/env node
// Flagstage command-line helpers for challenge authors and operators.
//   yarn flagstage flag-hash 'flagstage{...}'   prints the sha256: form of a static flag
//   printf %s 'flagstage{...}' | yarn flagstage flag-hash   reads the flag from stdin
//                                                  (keeps it out of shell history)
import { createHash } from 'node:crypto';

const USAGE = `usage: yarn flagstage <command>

commands:
  flag-hash [flag]   print "sha256:<hex>" for a static flag (reads stdin when no argument)
`;

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function flagHash(args) {
  if (args.length > 1) {
    throw new Error('flag-hash takes one flag; quote it');
  }
  const flag = args.length === 1 ? args[0] : await readStdin();
  if (flag.length === 0) {
    throw new Error('flag-hash: empty flag');
  }
  if (flag !== flag.trim()) {
    process.stderr.write(
      'warning: the flag has leading or trailing whitespace, which is part of the digest\n',
    );
  }
  process.stdout.write(
    `sha256:${createHash('sha256').update(flag, 'utf8').digest('hex')}\n`,
  );
}

const [command, ...rest] = process.argv.slice(2);
try {
  if (command === 'flag-hash') {
    await flagHash(rest);
  } else {
    process.stderr.write(
      command ? `unknown command: ${command}\n\n${USAGE}` : USAGE,
    );
    process.exitCode = 2;
  }
} catch (e) {
  process.stderr.write(`${e.message}\n`);
  process.exitCode = 1;
}
