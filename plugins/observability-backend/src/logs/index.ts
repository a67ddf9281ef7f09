/** The log views' backend: Loki searches and Kubernetes pod logs. */
export { createLogsRouter, type LogsRouterOptions } from './createLogsRouter';
export {
  LokiClient,
  type LokiClientOptions,
  type LogItem,
  type LogPage,
} from './LokiClient';
export {
  KubernetesLogs,
  CHALLENGE_CONTAINER,
  type ContainerLog,
  type PodLogs,
  type PodLogOptions,
  type WorkflowLogs,
} from './KubernetesLogs';
export {
  buildLogQuery,
  checkInstanceId,
  escapeLogQLString,
  isDns1123Label,
  LOKI_LABELS,
  type LogFilter,
} from './logQuery';
export { parseLogSearch, type LogDirection, type LogSearch } from './logSearch';
export { logsReadPermission, logsPermissions } from './permissions';
