import type { V1Pod } from '@kubernetes/client-node';

/** Argo's labels and env on the pods the workflow-controller creates. */
export const WORKFLOW_LABEL = 'workflows.argoproj.io/workflow';
export const COMPLETED_LABEL = 'workflows.argoproj.io/report-outputs-completed';

/** The parts of an Argo template (as the controller resolved it) the stand-in runs. */
export type ArgoTemplate = {
  name?: string;
  resource?: {
    action: string;
    manifest?: string;
    flags?: string[];
  };
  container?: ArgoContainer;
  script?: ArgoContainer & { source: string };
};

export type ArgoContainer = {
  image?: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string }[];
};

/** What the stand-in needs to know about one Argo pod. */
export type ArgoPodInfo = {
  namespace: string;
  name: string;
  uid: string;
  serviceAccount: string;
  workflow: string;
  workflowUid: string;
  nodeId: string;
  template: ArgoTemplate;
};

const envOf = (pod: V1Pod, name: string) =>
  [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]
    .flatMap(c => c.env ?? [])
    .find(e => e.name === name)?.value;

/**
 * Reads an Argo pod: the resolved template travels as ARGO_TEMPLATE on the
 * init container (emissary executor), the node id as ARGO_NODE_ID, the
 * workflow as a label and an owner reference. Undefined for any other pod.
 */
export function readArgoPod(pod: V1Pod): ArgoPodInfo | undefined {
  const workflow = pod.metadata?.labels?.[WORKFLOW_LABEL];
  const templateJson = envOf(pod, 'ARGO_TEMPLATE');
  const nodeId = envOf(pod, 'ARGO_NODE_ID');
  const owner = pod.metadata?.ownerReferences?.find(o => o.kind === 'Workflow');
  if (!workflow || !templateJson || !nodeId || !owner) return undefined;
  if (templateJson === 'offloaded') {
    throw new Error(
      `pod ${pod.metadata?.name}: template offloaded to a ConfigMap (not supported by the stand-in)`,
    );
  }
  return {
    namespace: pod.metadata!.namespace!,
    name: pod.metadata!.name!,
    uid: pod.metadata!.uid!,
    serviceAccount: pod.spec?.serviceAccountName ?? 'default',
    workflow,
    workflowUid: owner.uid,
    nodeId,
    template: JSON.parse(templateJson),
  };
}
