import {
  DEFAULT_ARGO_NAMESPACE,
  InstanceIdentity,
  TRACEPARENT_ANNOTATION,
  labelsFor,
  namespaceFor,
  stopWorkflowName,
} from './names';
import { WorkflowManifest, traceAnnotations } from './workflowManifest';

/** The parameters stop-challenge declares, in this order. */
export const STOP_PARAMETERS = ['namespace', 'instance-id'] as const;

export type StopWorkflowInput = InstanceIdentity & {
  traceparent?: string;
  argoNamespace?: string;
};

/**
 * The Workflow that stops an instance: `stop-<instanceId>` referencing the
 * `stop-challenge` WorkflowTemplate, which deletes the instance namespace
 * (and with it everything start-challenge created there). Labelled like the
 * instance so the same selectors find it. Throws InputError for bad ids.
 */
export function renderStopWorkflow(input: StopWorkflowInput): WorkflowManifest {
  const labels = labelsFor(input);
  const annotations = traceAnnotations(
    TRACEPARENT_ANNOTATION,
    input.traceparent,
  );
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      name: stopWorkflowName(input.instanceId),
      namespace: input.argoNamespace ?? DEFAULT_ARGO_NAMESPACE,
      labels,
      ...(annotations ? { annotations } : {}),
    },
    spec: {
      workflowTemplateRef: { name: 'stop-challenge' },
      arguments: {
        parameters: [
          { name: 'namespace', value: namespaceFor(input.instanceId) },
          { name: 'instance-id', value: input.instanceId },
        ],
      },
    },
  };
}
