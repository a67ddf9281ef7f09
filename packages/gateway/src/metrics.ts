import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics,
} from 'prom-client';

/** The gateway's Prometheus metrics (own registry, exposed on the admin port). */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'flagstage_gateway_http_requests_total',
    help: 'HTTP requests answered, by status class',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly refusals = new Counter({
    name: 'flagstage_gateway_refusals_total',
    help: 'Requests and connections refused, by protocol and reason',
    labelNames: ['proto', 'reason'] as const,
    registers: [this.registry],
  });
  readonly connections = new Counter({
    name: 'flagstage_gateway_connections_total',
    help: 'Long-lived connections accepted, by protocol',
    labelNames: ['proto'] as const,
    registers: [this.registry],
  });
  readonly openConnections = new Gauge({
    name: 'flagstage_gateway_open_connections',
    help: 'Open long-lived connections (TCP, WebSocket, TCP over WebSocket)',
    registers: [this.registry],
  });
  readonly bytes = new Counter({
    name: 'flagstage_gateway_bytes_total',
    help: 'Bytes proxied, by direction (in: client to instance)',
    labelNames: ['direction'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'flagstage_gateway_http_request_duration_seconds',
    help: 'Time from request to the end of the response',
    buckets: [
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ],
    registers: [this.registry],
  });
  readonly upstream = new Histogram({
    name: 'flagstage_gateway_upstream_duration_seconds',
    help: 'Upstream latency: HTTP time to response headers, TCP and WebSocket time to connect',
    labelNames: ['proto'] as const,
    buckets: [
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
      5,
    ],
    registers: [this.registry],
  });
  readonly redisUp = new Gauge({
    name: 'flagstage_gateway_redis_up',
    help: '1 when the policy (limits, revocations) is in sync with Redis',
    registers: [this.registry],
  });

  constructor(defaults = true) {
    if (defaults)
      collectDefaultMetrics({
        register: this.registry,
        prefix: 'flagstage_gateway_',
      });
  }
}
