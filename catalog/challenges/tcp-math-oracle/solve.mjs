// Automatic solver: node solve.mjs <host> <port>  → prints the flag.
import { connect } from 'node:net';

const [host = '127.0.0.1', port = '3333'] = process.argv.slice(2);
const socket = connect(Number(port), host);
socket.setEncoding('utf8');
let buffered = '';
let found = false;
socket.on('data', chunk => {
  buffered += chunk;
  let nl;
  while ((nl = buffered.indexOf('\n')) >= 0) {
    const line = buffered.slice(0, nl);
    buffered = buffered.slice(nl + 1);
    const q = line.match(/What is (-?\d+) ([+*-]) (\d+)\?/);
    if (q) {
      const [a, op, b] = [Number(q[1]), q[2], Number(q[3])];
      socket.write(`${op === '+' ? a + b : op === '-' ? a - b : a * b}\n`);
    }
    const flag = line.match(/flagstage\{[^}]+\}/);
    if (flag) {
      found = true;
      console.log(flag[0]);
      socket.end();
    } else if (/Wrong|Too slow/.test(line)) {
      console.error(line);
    }
  }
});
socket.on('close', () => process.exit(found ? 0 : 1));
socket.on('error', e => {
  console.error(e.message);
  process.exit(1);
});
