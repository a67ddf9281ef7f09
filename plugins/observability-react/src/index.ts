/**
 * Flagstage log views shared by portal plugins: the observability backend's
 * API client, `LogsViewer` (Loki search, live tail, Grafana link),
 * `InstanceLogs` (an instance's workflow and pod logs) and
 * `EntityLogsContent` (the Challenge entity's Logs tab).
 *
 * @packageDocumentation
 */
export { observabilityApiRef, ObservabilityClient } from './api';
export type {
  ContainerLog,
  LogItem,
  LogSearchQuery,
  LogSearchResult,
  ObservabilityApi,
  PodLogOptions,
  PodLogs,
  WorkflowLogs,
} from './api';
export {
  LogsViewer,
  type LogsFilter,
  type LogsViewerProps,
} from './components/LogsViewer';
export {
  InstanceLogs,
  type InstanceLogsProps,
} from './components/InstanceLogs';
export { EntityLogsContent } from './components/EntityLogsContent';
export { grafanaExploreUrl } from './components/grafanaExploreUrl';
