import fs from 'node:fs';
import path from 'node:path';
import {
  coreServices,
  createBackendPlugin,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * Where `packages/play/dist` is: `FLAGSTAGE_PLAY_DIST` if set, else found
 * from the backend package or the working directory.
 */
export function findPlayDist(): string {
  if (process.env.FLAGSTAGE_PLAY_DIST)
    return path.resolve(process.env.FLAGSTAGE_PLAY_DIST);
  const candidates = [
    path.resolve(resolvePackagePath('backend'), '../play/dist'),
    path.resolve(process.cwd(), 'packages/play/dist'),
    path.resolve(process.cwd(), '../play/dist'),
  ];
  return candidates.find(d => fs.existsSync(d)) ?? candidates[0];
}

/**
 * Serves the contestant app (packages/play, built with Vite) under /play:
 * hashed assets with a long cache, every other path falls back to
 * index.html (client-side routes). Without a build it answers 503 with how to
 * make one. Outside Backstage's plugin auth: the app is public, and talks to
 * the contest plugin's public API.
 */
export const playFrontendPlugin = createBackendPlugin({
  pluginId: 'play',
  register(env) {
    env.registerInit({
      deps: { rootHttpRouter: coreServices.rootHttpRouter },
      async init({ rootHttpRouter }) {
        rootHttpRouter.use('/play', (req, res, next) => {
          if (req.method !== 'GET' && req.method !== 'HEAD') {
            next();
            return;
          }
          const dist = findPlayDist();
          const index = path.join(dist, 'index.html');
          if (!fs.existsSync(index)) {
            res
              .status(503)
              .type('text/plain')
              .send(
                'The contestant app (packages/play) is not built yet. Build it with ' +
                  '`yarn workspace @flagstage/play build` from the repository root, then reload this page.\n',
              );
            return;
          }
          let rel: string;
          try {
            rel = decodeURIComponent(req.path);
          } catch {
            res.status(400).type('text/plain').send('Bad path\n');
            return;
          }
          const file = path.resolve(
            dist,
            `.${path.posix.normalize(`/${rel}`)}`,
          );
          const inside = file.startsWith(`${dist}${path.sep}`);
          const stat =
            inside && fs.existsSync(file) ? fs.statSync(file) : undefined;
          if (stat?.isFile()) {
            const type = TYPES[path.extname(file)];
            if (type) res.setHeader('Content-Type', type);
            res.setHeader('X-Content-Type-Options', 'nosniff');
            res.setHeader(
              'Cache-Control',
              rel.startsWith('/assets/')
                ? 'public, max-age=31536000, immutable'
                : 'no-cache',
            );
            res.setHeader('Content-Length', String(stat.size));
            if (req.method === 'HEAD') {
              res.end();
              return;
            }
            fs.createReadStream(file).pipe(res);
            return;
          }
          // A missing asset is a 404; any other path is a client-side route.
          if (rel.startsWith('/assets/')) {
            res.status(404).type('text/plain').send('Not found\n');
            return;
          }
          res.setHeader('Content-Type', TYPES['.html']);
          res.setHeader('Cache-Control', 'no-cache');
          res.setHeader('X-Content-Type-Options', 'nosniff');
          res.setHeader('X-Frame-Options', 'DENY');
          res.send(fs.readFileSync(index));
        });
      },
    });
  },
});
