/**
 * The shape of the Argo objects the worker submits: plain data (runtime code
 * must not depend on kubernetes-models, a devDependency; the tests check
 * these objects against its schemas).
 */
export type WorkflowParameter = { name: string; value: string };

export type WorkflowManifest = {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'Workflow';
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: {
    workflowTemplateRef: { name: string };
    arguments: { parameters: WorkflowParameter[] };
  };
};

/** The W3C trace-context `traceparent` header format (version 00). */
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The annotations for a traceparent: it is diagnostic only, so a malformed
 * one is dropped rather than failing the deploy (or landing in the cluster).
 */
export function traceAnnotations(
  annotation: string,
  traceparent: string | undefined,
): Record<string, string> | undefined {
  return traceparent && TRACEPARENT.test(traceparent)
    ? { [annotation]: traceparent }
    : undefined;
}
