// Math Oracle: answer 20 arithmetic questions, each within 2 seconds, over raw TCP.
import { createServer } from 'node:net';
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';

const port = Number(process.env.PORT ?? 3333);
const flag =
  process.env.FLAG ||
  readFileSync(new URL('./flag.txt', import.meta.url), 'utf8').trim();
const ROUNDS = 20;
const TIME_LIMIT_MS = 2000;

function question() {
  const ops = ['+', '-', '*'];
  const op = ops[randomInt(ops.length)];
  const a = randomInt(1000, 10000);
  const b = randomInt(2, op === '*' ? 100 : 10000);
  const answer = op === '+' ? a + b : op === '-' ? a - b : a * b;
  return { text: `What is ${a} ${op} ${b}?`, answer };
}

createServer(socket => {
  socket.setEncoding('utf8');
  let round = 0;
  let current;
  let timer;
  let buffered = '';
  const ask = () => {
    current = question();
    socket.write(`[${round + 1}/${ROUNDS}] ${current.text}\n`);
    clearTimeout(timer);
    timer = setTimeout(() => socket.end('Too slow!\n'), TIME_LIMIT_MS);
  };
  socket.write('Welcome to the Math Oracle. Answer fast.\n');
  ask();
  socket.on('data', chunk => {
    buffered += chunk;
    if (buffered.length > 4096) return socket.destroy();
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0 && !socket.writableEnded) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (Number(line) !== current.answer || line === '') {
        clearTimeout(timer);
        socket.end('Wrong!\n');
        return;
      }
      round += 1;
      if (round === ROUNDS) {
        clearTimeout(timer);
        socket.end(`Impressive. ${flag}\n`);
        return;
      }
      ask();
    }
  });
  socket.on('close', () => clearTimeout(timer));
  socket.on('error', () => clearTimeout(timer));
}).listen(port, '0.0.0.0', () =>
  console.log(`math-oracle listening on ${port}`),
);
