import type { Request, RequestHandler } from 'express';
import { continueTrace, runInTrace } from './traceContext';
import { flagstageMetrics } from './metrics';
import { nowNs, recordSpan } from './otlp';

/**
 * The route template of a request as Express matched it
 * (`/api/contest/public/contests/:slug/scoreboard`), so metrics have a
 * bounded label; `<mount>/*` for a mounted handler without a route (static
 * files), `unmatched` for nothing at all.
 */
export function routeTemplate(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  if (route && typeof route.path === 'string')
    return `${req.baseUrl}${route.path}`;
  return req.baseUrl ? `${req.baseUrl}/*` : 'unmatched';
}

/**
 * Root middleware for every Flagstage HTTP server: continues the caller's
 * W3C trace (or starts one) for everything the request does — log lines
 * carry its ids, outgoing calls and queued jobs its traceparent — answers
 * with `x-trace-id`, and counts the request by route template, method and
 * status.
 *
 * @public
 */
export function httpObservability(service: string): RequestHandler {
  const requests = flagstageMetrics.httpRequests();
  const duration = flagstageMetrics.httpDuration();
  return (req, res, next) => {
    const header = req.headers.traceparent;
    const trace = continueTrace(
      typeof header === 'string' ? header : undefined,
    );
    const started = process.hrtime.bigint();
    const startNs = nowNs();
    res.setHeader('x-trace-id', trace.traceId);
    res.once('finish', () => {
      const route = routeTemplate(req);
      const method = req.method;
      requests.inc({ service, route, method, status: String(res.statusCode) });
      duration.observe(
        { service, route, method },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
      recordSpan({
        trace,
        parentSpanId: trace.parentSpanId,
        name: `${method} ${route}`,
        kind: 2,
        startNs,
        endNs: startNs + (process.hrtime.bigint() - started),
        attributes: {
          'http.request.method': method,
          'http.route': route,
          'http.response.status_code': res.statusCode,
        },
        error: res.statusCode >= 500,
      });
    });
    runInTrace(trace, next);
  };
}
