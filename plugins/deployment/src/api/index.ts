export { deploymentApiRef, type DeploymentApi } from './DeploymentApi';
export { DeploymentClient } from './DeploymentClient';
