import Router from 'express-promise-router';
import express from 'express';
import { z } from 'zod';
import { NotAllowedError } from '@backstage/errors';
import type {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import {
  AuthorizeResult,
  type BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  gatewayLimitsUpdatePermission,
  gatewayReadPermission,
  gatewayRevocationsCreatePermission,
  gatewayRevocationsDeletePermission,
} from '@flagstage/plugin-gateway-admin-common';
import { GATEWAY_REVOCATION_SCOPES } from '@flagstage/plugin-gateway-common';
import { parseInput } from '@flagstage/backend-node';
import type { GatewayAdminService } from '../services/GatewayAdminService';

/** Instance and team ids: the token claims' charset and length. */
const ID = /^[A-Za-z0-9._:/@-]{1,128}$/;
/** Token ids: `gatewayTokenId(token)`, 32 lower-case hex characters. */
const TOKEN_ID = /^[0-9a-f]{32}$/;

const scope = z.enum(GATEWAY_REVOCATION_SCOPES);

/** A revocation value must be able to match what the gateway checks. */
function checkValue(
  t: { scope: (typeof GATEWAY_REVOCATION_SCOPES)[number]; value: string },
  ctx: z.RefinementCtx,
) {
  const ok = t.scope === 'token' ? TOKEN_ID.test(t.value) : ID.test(t.value);
  if (!ok) {
    ctx.addIssue({
      code: 'custom',
      path: ['value'],
      message:
        t.scope === 'token'
          ? 'a token id is 32 lower-case hex characters (gatewayTokenId of the token)'
          : `an ${t.scope} id is 1-128 characters of A-Z a-z 0-9 . _ : / @ -`,
    });
  }
}
const target = z
  .object({ scope, value: z.string().trim() })
  .superRefine(checkValue);
const revokeBody = z
  .object({
    scope,
    value: z.string().trim(),
    reason: z.string().trim().max(500).optional(),
  })
  .strict()
  .superRefine(checkValue);
const limitsBody = z
  .object({
    limits: z.record(z.string(), z.unknown()),
    baseVersion: z.number().int().min(0).optional(),
  })
  .strict();
const connectionsQuery = z.object({
  instance: z.string().trim().max(128).optional(),
  team: z.string().trim().max(128).optional(),
});
const limitQuery = (max: number, fallback: number) =>
  z.object({
    limit: z.coerce.number().int().min(1).max(max).default(fallback),
  });

/**
 * The gateway-admin API. Every route but /health needs a signed-in user and
 * one gateway permission (see the Flagstage policy: reads for all staff,
 * changes for operators and admins); changes are audited.
 */
export function createRouter(options: {
  service: GatewayAdminService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
}) {
  const { service, httpAuth, permissions, auditor } = options;
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  /** The signed-in user holding `permission`, or 401/403. */
  async function authorize(req: express.Request, permission: BasicPermission) {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    }
    return credentials.principal.userEntityRef;
  }

  /** Runs a change as an audit event (severity medium: a write endpoint). */
  async function audited<T>(
    req: express.Request,
    eventId: string,
    meta: JsonObject,
    change: () => Promise<T>,
  ): Promise<T> {
    const event = await auditor.createEvent({
      eventId,
      severityLevel: 'medium',
      request: req,
      meta,
    });
    try {
      const result = await change();
      await event.success();
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  router.get('/health', (_req, res) => {
    res.json(service.health());
  });

  router.get('/limits', async (req, res) => {
    await authorize(req, gatewayReadPermission);
    res.json(await service.getLimits());
  });

  router.put('/limits', async (req, res) => {
    const by = await authorize(req, gatewayLimitsUpdatePermission);
    const body = parseInput(limitsBody, req.body);
    const result = await audited(
      req,
      'limits-update',
      { baseVersion: body.baseVersion ?? null },
      () => service.updateLimits(body.limits, by, body.baseVersion),
    );
    res.json(result);
  });

  router.get('/limits/history', async (req, res) => {
    await authorize(req, gatewayReadPermission);
    const { limit } = parseInput(limitQuery(200, 20), req.query, 'query');
    res.json(await service.limitsHistory(limit));
  });

  router.get('/revocations', async (req, res) => {
    await authorize(req, gatewayReadPermission);
    res.json(await service.listRevocations());
  });

  router.post('/revocations', async (req, res) => {
    const by = await authorize(req, gatewayRevocationsCreatePermission);
    const body = parseInput(revokeBody, req.body);
    const result = await audited(
      req,
      'revocation-create',
      { scope: body.scope, value: body.value },
      () => service.revoke({ ...body, by }),
    );
    res.status(201).json(result);
  });

  router.delete('/revocations/:scope/:value', async (req, res) => {
    const by = await authorize(req, gatewayRevocationsDeletePermission);
    const t = parseInput(target, req.params, 'path');
    const result = await audited(
      req,
      'revocation-delete',
      { scope: t.scope, value: t.value },
      () => service.unrevoke(t.scope, t.value, by),
    );
    res.json(result);
  });

  router.get('/connections', async (req, res) => {
    await authorize(req, gatewayReadPermission);
    const filter = parseInput(connectionsQuery, req.query, 'query');
    res.json(
      await service.connections({
        instance: filter.instance || undefined,
        team: filter.team || undefined,
      }),
    );
  });

  router.get('/top-talkers', async (req, res) => {
    await authorize(req, gatewayReadPermission);
    const { limit } = parseInput(limitQuery(100, 10), req.query, 'query');
    res.json(await service.topTalkers(limit));
  });

  return router;
}
