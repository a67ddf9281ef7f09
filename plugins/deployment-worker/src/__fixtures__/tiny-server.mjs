// A stand-in challenge for driver tests: prints FLAG's length, serves HTTP on PORT.
import http from 'node:http';

const port = Number(process.env.PORT);
const delay = Number(process.argv[2] ?? 0);
console.log(`flag length ${String(process.env.FLAG ?? '').length}`);
console.error('to stderr');
if (process.argv[3] === 'crash') {
  console.error('boom');
  process.exit(3);
}
setTimeout(() => {
  http
    .createServer((_req, res) =>
      res.end(`ok ${process.env.FLAG ? 'with flag' : 'without flag'}`),
    )
    .listen(port, '127.0.0.1', () => console.log(`listening on ${port}`));
}, delay);
