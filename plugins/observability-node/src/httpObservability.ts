import type { Request, RequestHandler } from 'express';
import { SpanStatusCode } from '@opentelemetry/api';
import {
  extractTraceContext,
  runInTraceContext,
  startSpan,
} from './traceContext';
import { flagstageMetrics } from './metrics';

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
    // The route is known once Express has matched it: the span is named then.
    const { span, context } = startSpan(req.method, {
      kind: 'server',
      parent: extractTraceContext(req.headers),
    });
    const started = process.hrtime.bigint();
    res.setHeader('x-trace-id', span.spanContext().traceId);
    res.once('finish', () => {
      const route = routeTemplate(req);
      const method = req.method;
      requests.inc({ service, route, method, status: String(res.statusCode) });
      duration.observe(
        { service, route, method },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
      span.updateName(`${method} ${route}`);
      span.setAttributes({
        'http.request.method': method,
        'http.route': route,
        'http.response.status_code': res.statusCode,
      });
      span.setStatus({
        code: res.statusCode >= 500 ? SpanStatusCode.ERROR : SpanStatusCode.OK,
      });
      span.end();
    });
    runInTraceContext(context, next);
  };
}
