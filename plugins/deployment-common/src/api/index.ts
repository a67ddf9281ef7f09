export * from './types';
export * from './instanceLogs';
export {
  DeploymentApiClient,
  type DeploymentApiClientOptions,
} from './DeploymentApiClient';
