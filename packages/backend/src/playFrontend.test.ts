import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { startTestBackend } from '@backstage/backend-test-utils';
import { playFrontendPlugin } from './playFrontend';

describe('playFrontendPlugin', () => {
  let dist: string;
  const saved = process.env.FLAGSTAGE_PLAY_DIST;

  beforeEach(() => {
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'play-dist-'));
    process.env.FLAGSTAGE_PLAY_DIST = dist;
  });
  afterEach(() => {
    fs.rmSync(dist, { recursive: true, force: true });
    if (saved === undefined) delete process.env.FLAGSTAGE_PLAY_DIST;
    else process.env.FLAGSTAGE_PLAY_DIST = saved;
  });

  it('serves the built app with an SPA fallback, assets with a long cache, nothing outside dist', async () => {
    fs.mkdirSync(path.join(dist, 'assets'));
    fs.writeFileSync(
      path.join(dist, 'index.html'),
      '<!doctype html><div id="root"></div>',
    );
    fs.writeFileSync(
      path.join(dist, 'assets', 'index-abc.js'),
      'console.log(1)',
    );
    fs.writeFileSync(path.join(os.tmpdir(), 'play-secret.txt'), 'secret');
    const { server } = await startTestBackend({
      features: [playFrontendPlugin],
    });

    const index = await request(server).get('/play/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toMatch(/^text\/html/);
    expect(index.text).toContain('id="root"');

    const route = await request(server).get('/play/challenges/web-cookie-jar');
    expect(route.status).toBe(200);
    expect(route.text).toContain('id="root"');
    expect(route.headers['cache-control']).toBe('no-cache');

    const asset = await request(server).get('/play/assets/index-abc.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect(asset.text).toBe('console.log(1)');

    expect((await request(server).get('/play/assets/missing.js')).status).toBe(
      404,
    );
    const escape = await request(server).get('/play/..%2Fplay-secret.txt');
    expect(escape.text).not.toContain('secret');
  });

  it('says how to build the app when dist is missing', async () => {
    const { server } = await startTestBackend({
      features: [playFrontendPlugin],
    });
    const res = await request(server).get('/play/');
    expect(res.status).toBe(503);
    expect(res.text).toContain('yarn workspace @flagstage/play build');
  });
});
