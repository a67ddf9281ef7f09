import { createApiRef } from '@backstage/frontend-plugin-api';

/** A log search; see the backend's `GET /logs/loki`. @public */
export type LogSearchQuery = {
  team?: string;
  challenge?: string;
  namespace?: string;
  instance?: string;
  /** Literal text the line contains. */
  contains?: string;
  /** ISO 8601; default an hour before `end`. */
  start?: string;
  /** ISO 8601; default now. At most 7 days after `start`. */
  end?: string;
  /** 1–1000; default 200. */
  limit?: number;
  /** `backward` (newest first, the default) or `forward`. */
  direction?: 'forward' | 'backward';
  /** The `nextCursor` of the previous page, or the last timestamp seen (live tail). */
  cursor?: string;
};

/** One log line. @public */
export type LogItem = {
  /** Unix epoch nanoseconds (a decimal string). */
  timestamp: string;
  line: string;
  labels: Record<string, string>;
};

/** A page of a log search. @public */
export type LogSearchResult = {
  /** The LogQL the backend searched (for Grafana links). */
  query: string;
  items: LogItem[];
  /** Set when the page is full: pass it as `cursor` for the next page. */
  nextCursor: string | null;
};

/** The log of one container. @public */
export type ContainerLog = {
  pod: string;
  container: string;
  phase?: string;
  log: string;
};

/** The step pod logs of an instance's Argo start workflow. @public */
export type WorkflowLogs = {
  workflow: string;
  namespace: string;
  pods: ContainerLog[];
};

/** The challenge pod's log of an instance. @public */
export type PodLogs = ContainerLog & { namespace: string };

/** Options of a pod log read. @public */
export type PodLogOptions = { tailLines?: number; sinceSeconds?: number };

/** The observability backend's log views (`/api/observability/logs`). @public */
export interface ObservabilityApi {
  searchLogs(query: LogSearchQuery): Promise<LogSearchResult>;
  getWorkflowLogs(
    instanceId: string,
    options?: PodLogOptions,
  ): Promise<WorkflowLogs>;
  getPodLogs(instanceId: string, options?: PodLogOptions): Promise<PodLogs>;
}

/** @public */
export const observabilityApiRef = createApiRef<ObservabilityApi>({
  id: 'plugin.observability',
});
