import Router from 'express-promise-router';
import { metricsRegistry } from './metrics';

/** One dependency's state. @public */
export type DependencyHealth = {
  status: 'ok' | 'down' | 'disabled';
  latencyMs?: number;
  /** Why it is down, or what it is (`redis`, `memory`, `amqp`, …). */
  detail?: string;
  /** A down critical dependency makes the service not ready. */
  critical: boolean;
};

/** A named check; resolves with a detail, throws when the dependency is down, or returns 'disabled'. @public */
export type HealthCheck = {
  name: string;
  critical: boolean;
  check: () => Promise<string | void | 'disabled'>;
};

/** The `/health` document. @public */
export type HealthReport = {
  status: 'ok' | 'degraded' | 'down';
  service: string;
  version: string;
  uptimeSeconds: number;
  dependencies: Record<string, DependencyHealth>;
};

/** Runs every check at once, each bounded by `timeoutMs`. @public */
export async function runHealthChecks(
  checks: HealthCheck[],
  meta: { service: string; version: string },
  timeoutMs = 2000,
): Promise<HealthReport> {
  const dependencies: Record<string, DependencyHealth> = {};
  await Promise.all(
    checks.map(async c => {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        const detail = await Promise.race([
          c.check(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`no answer within ${timeoutMs} ms`)),
              timeoutMs,
            );
          }),
        ]);
        dependencies[c.name] =
          detail === 'disabled'
            ? { status: 'disabled', critical: c.critical }
            : {
                status: 'ok',
                latencyMs: Math.round((performance.now() - started) * 10) / 10,
                detail: detail || undefined,
                critical: c.critical,
              };
      } catch (e) {
        dependencies[c.name] = {
          status: 'down',
          latencyMs: Math.round((performance.now() - started) * 10) / 10,
          detail: e instanceof Error ? e.message : String(e),
          critical: c.critical,
        };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const down = Object.values(dependencies).filter(d => d.status === 'down');
  let status: HealthReport['status'] = 'ok';
  if (down.some(d => d.critical)) status = 'down';
  else if (down.length > 0) status = 'degraded';
  return {
    status,
    service: meta.service,
    version: meta.version,
    uptimeSeconds: Math.round(process.uptime()),
    dependencies,
  };
}

/**
 * `/healthz` (liveness: the process answers), `/readyz` (readiness: every
 * critical dependency answers; 503 otherwise), `/health` (the detailed
 * JSON, 200 when ok or degraded, 503 when down) and `/metrics`.
 *
 * @public
 */
export function createHealthRouter(options: {
  service: string;
  version: string;
  checks: () => HealthCheck[];
}) {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const report = await runHealthChecks(
      options.checks().filter(c => c.critical),
      options,
    );
    res.status(report.status === 'down' ? 503 : 200).json({
      status: report.status === 'down' ? 'not ready' : 'ready',
      dependencies: report.dependencies,
    });
  });
  router.get('/health', async (_req, res) => {
    const report = await runHealthChecks(options.checks(), options);
    res.status(report.status === 'down' ? 503 : 200).json(report);
  });
  router.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', metricsRegistry.contentType);
    res.end(await metricsRegistry.metrics());
  });
  return router;
}
