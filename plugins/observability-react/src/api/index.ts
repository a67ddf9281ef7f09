export * from './ObservabilityApi';
export { ObservabilityClient } from './ObservabilityClient';
