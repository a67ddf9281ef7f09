import Router from 'express-promise-router';
import express from 'express';
import { z } from 'zod';
import {
  buildCreatePermission,
  buildReadPermission,
} from '@flagstage/plugin-deployment-common';
import { parseInput } from '@flagstage/backend-node';
import type { BuildService } from '../services/BuildService';
import type { Callers } from './callers';

const ref = z.string().min(1).max(300);
const requestBody = z.object({ challengeRef: ref });
const claimBody = z.object({ workflow: z.string().min(1).max(253) });
const failBody = z.object({ reason: z.string().min(1).max(1000) });
const callbackBody = z.object({
  status: z.string().min(1).max(32),
  image: z.string().max(500).optional(),
  workflow: z.string().max(253).optional(),
  buildId: z.string().max(64).optional(),
});

/**
 * Build API: staff request and list builds (`flagstage.challenge.build.*`);
 * the worker claims and fails them (`/internal`, service credentials); the
 * build workflow's exit handler reports at `/builds/:id/callback` with its
 * per-build token (outside Backstage auth, see plugin.ts).
 */
export function createBuildsRouter(options: {
  builds: BuildService;
  callers: Callers;
}) {
  const { builds, callers } = options;
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  router.post('/builds', async (req, res) => {
    const who = (
      await callers.userOrService(req, buildCreatePermission, 'builds')
    ).ref;
    const body = parseInput(requestBody, req.body);
    res.status(202).json(await builds.request(body.challengeRef, who));
  });

  router.get('/builds', async (req, res) => {
    await callers.userOrService(req, buildReadPermission, 'builds');
    const challengeRef = parseInput(
      ref,
      req.query.challengeRef,
      'challengeRef',
    );
    res.json({ items: await builds.list(challengeRef) });
  });

  router.post('/builds/:id/callback', async (req, res) => {
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : undefined;
    const body = parseInput(callbackBody, req.body);
    res.json(await builds.callback(req.params.id, token, body));
  });

  router.post('/internal/builds/:id/claim', async (req, res) => {
    await callers.service(req, 'worker');
    const body = parseInput(claimBody, req.body);
    res.json(await builds.claim(req.params.id, body.workflow));
  });

  router.post('/internal/builds/:id/fail', async (req, res) => {
    await callers.service(req, 'worker');
    const body = parseInput(failBody, req.body);
    await builds.fail(req.params.id, body.reason);
    res.status(204).end();
  });

  return router;
}
