// Team Vault: notes by id; note 0 belongs to the admin (an IDOR). The flag is per team: FLAG.
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 3333);
const flag = process.env.FLAG;
if (!flag) {
  console.error(
    'web-team-vault needs its per-team flag in the FLAG environment variable',
  );
  process.exit(1);
}

const notes = [
  { owner: 'admin', title: 'Vault key', body: `Do not lose this: ${flag}` },
  {
    owner: 'you',
    title: 'Welcome',
    body: 'Your vault is empty. Add notes soon (feature coming).',
  },
  { owner: 'you', title: 'Todo', body: 'Find out who else uses this vault.' },
];
const esc = s => s.replace(/[&<>"]/g, c => `&#${c.charCodeAt(0)};`);
const page =
  body => `<!doctype html><html><head><meta charset="utf-8"><title>Team Vault</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 2em auto"><h1>🔐 Team Vault</h1>${body}</body></html>`;

createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  if (url.pathname === '/') {
    const mine = notes
      .map((n, id) => ({ ...n, id }))
      .filter(n => n.owner === 'you')
      .map(n => `<li><a href="/notes?id=${n.id}">${esc(n.title)}</a></li>`)
      .join('');
    res.end(page(`<p>Your notes:</p><ul>${mine}</ul>`));
  } else if (url.pathname === '/notes') {
    const note = notes[Number(url.searchParams.get('id'))];
    if (!note) {
      res.statusCode = 404;
      res.end(page('<p>No such note.</p><p><a href="/">back</a></p>'));
      return;
    }
    // The bug: no check that the note belongs to the visitor.
    res.end(
      page(
        `<h2>${esc(note.title)}</h2><p>${esc(
          note.body,
        )}</p><p><a href="/">back</a></p>`,
      ),
    );
  } else {
    res.statusCode = 404;
    res.end(page('<p>Nothing here.</p>'));
  }
}).listen(port, '0.0.0.0', () =>
  console.log(`team-vault listening on ${port}`),
);
