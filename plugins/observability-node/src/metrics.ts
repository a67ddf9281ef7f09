import {
  Counter,
  Gauge,
  Histogram,
  collectDefaultMetrics,
  register,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
} from 'prom-client';

/**
 * Flagstage's metrics live in prom-client's default registry of the process,
 * so every plugin of a backend (portal or worker) adds to the one `/metrics`.
 * Creation is get-or-create: a plugin started twice in one process (tests)
 * gets the existing metric instead of a duplicate-registration error.
 * Labels are bounded (route templates, states, results) — never a team,
 * instance or user id. observability/metrics.md is the catalogue.
 */

function getOrCreate<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

/** @public */
export function counter<L extends string>(config: CounterConfiguration<L>) {
  return getOrCreate(config.name, () => new Counter<L>(config));
}

/** @public */
export function gauge<L extends string>(config: GaugeConfiguration<L>) {
  return getOrCreate(config.name, () => new Gauge<L>(config));
}

/** @public */
export function histogram<L extends string>(config: HistogramConfiguration<L>) {
  return getOrCreate(config.name, () => new Histogram<L>(config));
}

let defaultsStarted = false;
/** Process metrics (CPU, memory, event loop lag, GC) once per process. @public */
export function collectProcessMetrics() {
  if (
    defaultsStarted ||
    register.getSingleMetric('process_cpu_user_seconds_total')
  )
    return;
  defaultsStarted = true;
  collectDefaultMetrics();
}

/** The registry `/metrics` serves. @public */
export const metricsRegistry = register;

const LATENCY_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** The catalogue, one getter per metric. @public */
export const flagstageMetrics = {
  httpRequests: () =>
    counter({
      name: 'flagstage_http_requests_total',
      help: 'HTTP requests answered, by service, route template, method and status',
      labelNames: ['service', 'route', 'method', 'status'] as const,
    }),
  httpDuration: () =>
    histogram({
      name: 'flagstage_http_request_duration_seconds',
      help: 'HTTP request latency, by service, route template and method',
      labelNames: ['service', 'route', 'method'] as const,
      buckets: LATENCY_BUCKETS,
    }),
  submissions: () =>
    counter({
      name: 'flagstage_submissions_total',
      help: 'Flag submissions, by result (correct, incorrect, already_solved, rate_limited, closed, invalid)',
      labelNames: ['result'] as const,
    }),
  solves: () =>
    counter({
      name: 'flagstage_solves_total',
      help: 'Solves recorded (first correct submission of a team for a challenge)',
    }),
  instances: () =>
    gauge({
      name: 'flagstage_instances',
      help: 'Instances by state',
      labelNames: ['state'] as const,
    }),
  instanceStartDuration: () =>
    histogram({
      name: 'flagstage_instance_start_duration_seconds',
      help: 'Time from the start request to RUNNING',
      buckets: [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600],
    }),
  deployJobs: () =>
    counter({
      name: 'flagstage_deploy_jobs_total',
      help: 'Deployment jobs handled by the worker, by action (deploy, stop, build) and result (ok, failed, dead_lettered)',
      labelNames: ['action', 'result'] as const,
    }),
  queueDepth: () =>
    gauge({
      name: 'flagstage_queue_depth',
      help: 'Jobs waiting in the deployment queue',
    }),
  queueDeadLetters: () =>
    gauge({
      name: 'flagstage_queue_dead_letters',
      help: 'Jobs in the dead-letter queue',
    }),
  runningWorkflows: () =>
    gauge({
      name: 'flagstage_running_workflows',
      help: 'Start workflows in flight (the Kubernetes driver budget)',
    }),
  reconcilerActions: () =>
    counter({
      name: 'flagstage_reconciler_actions_total',
      help: 'Reconciler corrections, by kind (ghost_namespace, stuck_deploy, orphan_row, expired)',
      labelNames: ['kind'] as const,
    }),
  scoreboardLastUpdate: () =>
    gauge({
      name: 'flagstage_scoreboard_last_update_timestamp_seconds',
      help: 'Unix time of the last scoreboard recompute',
    }),
  scoreboardRecompute: () =>
    histogram({
      name: 'flagstage_scoreboard_recompute_duration_seconds',
      help: 'Time to recompute and store a contest scoreboard',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
};
