/**
 * What the Flagstage portal plugins share: polled data, formatting of
 * times, sizes and errors, and the fetch of their API clients.
 *
 * @packageDocumentation
 */
export { usePolledData, type PolledData } from './hooks/usePolledData';
export {
  errorStatus,
  errorText,
  formatBytes,
  formatTime,
  relativeTime,
} from './format';
export {
  PluginApiFetch,
  queryString,
  type PluginRequestInit,
} from './PluginApiFetch';
