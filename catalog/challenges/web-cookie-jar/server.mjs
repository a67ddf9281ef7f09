// Cookie Jar: the session lives in a cookie the client can edit.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const port = Number(process.env.PORT ?? 3333);
const flag =
  process.env.FLAG ||
  readFileSync(new URL('./flag.txt', import.meta.url), 'utf8').trim();

const encode = obj => Buffer.from(JSON.stringify(obj)).toString('base64');
function session(req) {
  const cookie = (req.headers.cookie ?? '')
    .split(';')
    .map(c => c.trim())
    .find(c => c.startsWith('session='));
  if (!cookie) return undefined;
  try {
    return JSON.parse(
      Buffer.from(decodeURIComponent(cookie.slice(8)), 'base64').toString(
        'utf8',
      ),
    );
  } catch {
    return undefined;
  }
}

const page = (title, body) => `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 2em auto">
<h1>🍪 Cookie Jar</h1>${body}
<p><a href="/">home</a> · <a href="/admin">admin</a></p></body></html>`;

createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  let s = session(req);
  if (!s) {
    s = { user: 'guest', admin: false };
    res.setHeader(
      'Set-Cookie',
      `session=${encodeURIComponent(encode(s))}; Path=/`,
    );
  }
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  if (url.pathname === '/') {
    res.end(
      page(
        'Cookie Jar',
        `<p>Welcome, <b>${
          s.user === 'guest' ? 'guest' : 'friend'
        }</b>. Only admins may open the jar.</p>`,
      ),
    );
  } else if (url.pathname === '/admin') {
    if (s.admin === true) {
      res.end(page('Admin', `<p>The jar is open: <code>${flag}</code></p>`));
    } else {
      res.statusCode = 403;
      res.end(page('Forbidden', '<p>Admins only.</p>'));
    }
  } else {
    res.statusCode = 404;
    res.end(page('Not found', '<p>Nothing here.</p>'));
  }
}).listen(port, '0.0.0.0', () =>
  console.log(`cookie-jar listening on ${port}`),
);
