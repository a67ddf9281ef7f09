/**
 * What the worker submits to Kubernetes for an instance: the start and stop
 * Workflows (referencing the WorkflowTemplates in argo-templates/) and the
 * flag Secret, plus the names and labels they share. Plain objects; the
 * tests validate them against the official schemas.
 */
export * from './names';
export * from './workflowManifest';
export * from './renderStartWorkflow';
export * from './renderStopWorkflow';
export * from './renderFlagSecret';
