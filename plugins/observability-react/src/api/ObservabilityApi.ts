import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  PodLogOptions,
  PodLogs,
  WorkflowLogs,
} from '@flagstage/plugin-deployment-common';

// The instance log shapes are shared with the observability backend.
export type {
  ContainerLog,
  PodLogOptions,
  PodLogs,
  WorkflowLogs,
} from '@flagstage/plugin-deployment-common';

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
