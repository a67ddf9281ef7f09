/**
 * Portal log views: a Logs tab on Challenge entities (Loki search, live tail,
 * Grafana link) and `InstanceLogs` for instance pages.
 *
 * @packageDocumentation
 */
export { default, observabilityApi, challengeLogsContent } from './plugin';
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
