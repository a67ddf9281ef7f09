import { currentTraceparent } from '@flagstage/plugin-observability-node';
import Router from 'express-promise-router';
import express from 'express';
import { z } from 'zod';
import { InputError } from '@backstage/errors';
import {
  INSTANCE_STATES,
  instanceCreatePermission,
  instanceExtendPermission,
  instanceReadPermission,
  instanceStopPermission,
  QueueFullError,
  type InstanceState,
  type JobQueue,
} from '@flagstage/plugin-deployment-common';
import { parseInput, toIso } from '@flagstage/backend-node';
import type { InstanceService } from '../services/InstanceService';
import type { InstanceStore } from '../database/InstanceStore';
import type { Callers } from './callers';

const id = z.string().min(1).max(300);
const startBody = z.object({
  contestId: id,
  teamId: id,
  challengeRef: id,
  requestedBy: z.string().max(300).optional(),
});
const state = z.enum(INSTANCE_STATES);
const transitionBody = z.object({
  from: z.array(state).min(1),
  to: state,
  reason: z.string().max(500).optional(),
  endpoint: z.string().max(300).nullable().optional(),
});
const outputBody = z.object({
  lines: z
    .array(
      z.object({
        stream: z.enum(['stdout', 'stderr', 'driver']),
        line: z.string().max(8000),
        at: z.string().max(40),
      }),
    )
    .max(1000),
});

const workflowBody = z.object({
  name: z.string().min(1).max(253),
  phase: z.string().min(1).max(32),
  message: z.string().max(1000).optional(),
  nodes: z
    .array(
      z.object({
        name: z.string().max(300),
        displayName: z.string().max(300),
        type: z.string().max(40),
        phase: z.string().max(32),
        message: z.string().max(1000).optional(),
        startedAt: z.string().max(40).optional(),
        finishedAt: z.string().max(40).optional(),
      }),
    )
    .max(200),
  observedAt: z.iso.datetime(),
});
const cacheBody = z.object({ ids: z.array(id).max(5000) });
const listQuery = z.object({
  contestId: id.optional(),
  teamId: id.optional(),
  challengeRef: id.optional(),
  /** Comma-separated states; an unknown state is an error, not ignored. */
  state: z
    .string()
    .max(200)
    .transform((v, ctx) => {
      const states = v.split(',').filter(Boolean);
      const unknown = states.filter(
        x => !(INSTANCE_STATES as readonly string[]).includes(x),
      );
      if (unknown.length)
        ctx.addIssue({
          code: 'custom',
          message: `unknown state ${unknown.join(
            ', ',
          )}; one of ${INSTANCE_STATES.join(', ')}`,
        });
      return states as InstanceState[];
    })
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  cursor: z.string().max(200).optional(),
});

/** Opaque page cursor: the last row's creation time and id. */
function encodeCursor(createdAt: string, rowId: string) {
  return Buffer.from(`${createdAt}|${rowId}`).toString('base64url');
}

function decodeCursor(cursor: string) {
  const [createdAt, rowId] = Buffer.from(cursor, 'base64url')
    .toString()
    .split('|');
  if (!createdAt || !rowId || Number.isNaN(Date.parse(createdAt)))
    throw new InputError('cursor: not a cursor this API returned');
  return { createdAt: new Date(createdAt).toISOString(), id: rowId };
}

/**
 * Instance API. The contest plugin calls it with service credentials on
 * behalf of a contestant it authenticated; staff call it as users, behind
 * `flagstage.instance.*` permissions; `/internal` is for the worker only.
 * Other service principals are refused (see callers.ts).
 */
export function createRouter(options: {
  instances: InstanceService;
  store: InstanceStore;
  queue: JobQueue;
  callers: Callers;
}) {
  const { instances, store, callers } = options;
  const router = Router();
  router.use(express.json({ limit: '256kb' }));

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.post('/instances', async (req, res) => {
    const who = await callers.userOrService(
      req,
      instanceCreatePermission,
      'instances',
    );
    const body = parseInput(startBody, req.body);
    try {
      const view = await instances.start({
        ...body,
        requestedBy: who.service ? body.requestedBy ?? who.ref : who.ref,
        traceparent:
          typeof req.headers.traceparent === 'string'
            ? req.headers.traceparent
            : currentTraceparent(),
      });
      res.status(202).json(view);
    } catch (e) {
      if (e instanceof QueueFullError) {
        res.setHeader('Retry-After', String(e.retryAfterSeconds));
        res.status(503).json({
          error: { name: 'ServiceUnavailableError', message: e.message },
        });
        return;
      }
      throw e;
    }
  });

  router.get('/instances', async (req, res) => {
    await callers.userOrService(req, instanceReadPermission, 'instances');
    const q = parseInput(listQuery, req.query, 'query');
    const limit = q.limit ?? 100;
    const rows = await instances.list({
      contestId: q.contestId,
      teamId: q.teamId,
      challengeRef: q.challengeRef,
      states: q.state,
      limit: limit + 1,
      before: q.cursor ? decodeCursor(q.cursor) : undefined,
    });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    res.json({
      items,
      nextCursor:
        rows.length > limit && last
          ? encodeCursor(last.createdAt, last.id)
          : null,
    });
  });

  router.get('/active', async (req, res) => {
    await callers.service(req, 'instances');
    const { contestId, teamId, challengeRef } = req.query;
    if (
      typeof contestId !== 'string' ||
      typeof teamId !== 'string' ||
      typeof challengeRef !== 'string'
    )
      throw new InputError('contestId, teamId and challengeRef are required');
    res.json({
      instance:
        (await instances.activeFor(contestId, teamId, challengeRef)) ?? null,
    });
  });

  router.get('/instances/:id', async (req, res) => {
    const who = await callers.userOrService(
      req,
      instanceReadPermission,
      'instances',
    );
    // Access links (with their tokens) go to services acting for the team only.
    res.json(
      await instances.status(req.params.id, {
        withAccess: who.service && req.query.access === 'true',
      }),
    );
  });

  router.post('/instances/:id/stop', async (req, res) => {
    const who = await callers.userOrService(
      req,
      instanceStopPermission,
      'instances',
    );
    res.json(await instances.stop(req.params.id, who.ref));
  });

  router.post('/instances/:id/extend', async (req, res) => {
    const who = await callers.userOrService(
      req,
      instanceExtendPermission,
      'instances',
    );
    res.json(await instances.extend(req.params.id, who.ref));
  });

  router.get('/instances/:id/transitions', async (req, res) => {
    await callers.userOrService(req, instanceReadPermission, 'instances');
    await store.get(req.params.id);
    res.json({ items: await store.transitions(req.params.id) });
  });

  router.get('/instances/:id/output', async (req, res) => {
    await callers.userOrService(req, instanceReadPermission, 'instances');
    await store.get(req.params.id);
    res.json({
      items: await store.output(req.params.id, Number(req.query.tail) || 200),
    });
  });

  router.get('/instances/:id/workflow', async (req, res) => {
    await callers.userOrService(req, instanceReadPermission, 'instances');
    await store.get(req.params.id);
    res.json({ workflow: (await store.workflow(req.params.id)) ?? null });
  });

  router.get('/queue', async (req, res) => {
    await callers.userOrService(req, instanceReadPermission, 'instances');
    res.json({
      ...(await options.queue.depth()),
      instances: await store.countByState(),
    });
  });

  // ---- for the worker ----------------------------------------------------
  // Rows in the given states, newest first, paged by (created_at, id): the
  // reconciler's view of what should exist in the cluster.
  router.get('/internal/instances', async (req, res) => {
    await callers.service(req, 'worker');
    const q = parseInput(listQuery, req.query, 'query');
    const limit = q.limit ?? 500;
    const rows = await store.list({
      states: q.state,
      limit: limit + 1,
      before: q.cursor ? decodeCursor(q.cursor) : undefined,
    });
    const items = rows.slice(0, limit).map(row => ({
      ...row,
      created_at: toIso(row.created_at),
      updated_at: toIso(row.updated_at),
      expires_at: toIso(row.expires_at),
    }));
    const last = items[items.length - 1];
    res.json({
      items,
      nextCursor:
        rows.length > limit && last
          ? encodeCursor(last.created_at!, last.id)
          : null,
    });
  });

  // Rewrites the cached views of these instances from their rows (the
  // reconciler, after the cache lost them).
  router.post('/internal/instances/cache', async (req, res) => {
    await callers.service(req, 'worker');
    const body = parseInput(cacheBody, req.body);
    res.json({ refreshed: await instances.refresh(body.ids) });
  });

  router.get('/internal/instances/:id', async (req, res) => {
    await callers.service(req, 'worker');
    const row = await store.get(req.params.id);
    res.json({
      ...row,
      created_at: toIso(row.created_at),
      updated_at: toIso(row.updated_at),
      expires_at: toIso(row.expires_at),
    });
  });

  router.post('/internal/instances/:id/transition', async (req, res) => {
    const subject = await callers.service(req, 'worker');
    const body = parseInput(transitionBody, req.body);
    const row = await instances.applyTransition(
      req.params.id,
      body.from,
      body.to,
      { reason: body.reason, endpoint: body.endpoint, actor: subject },
    );
    if (!row) {
      const current = await store.get(req.params.id);
      res.status(409).json({
        error: {
          name: 'ConflictError',
          message: `instance is ${current.state}`,
        },
        state: current.state,
      });
      return;
    }
    res.json({ state: row.state });
  });

  router.post('/internal/instances/:id/workflow', async (req, res) => {
    await callers.service(req, 'worker');
    const body = parseInput(workflowBody, req.body);
    await store.get(req.params.id);
    const stored = await store.setWorkflow(req.params.id, body);
    res.status(stored ? 204 : 409).end();
  });

  router.post('/internal/instances/:id/output', async (req, res) => {
    await callers.service(req, 'worker');
    const body = parseInput(outputBody, req.body);
    await store.appendOutput(req.params.id, body.lines);
    res.status(204).end();
  });

  return router;
}
