/**
 * Portal log views: the Logs tab on Challenge entities (Loki search, live
 * tail, Grafana link). The components and the API client live in
 * `@flagstage/plugin-observability-react`, so other plugins (the instance
 * page) use them without importing this plugin.
 *
 * @packageDocumentation
 */
export { default, observabilityApi, challengeLogsContent } from './plugin';
