/** The resources the simulator serves. */
export type Kind =
  | 'namespaces'
  | 'pods'
  | 'services'
  | 'secrets'
  | 'serviceaccounts'
  | 'jobs'
  | 'networkpolicies'
  | 'workflows';

/** Where a kind lives in the API. */
export type KindInfo = {
  group: string; // '' for core
  version: string;
  kind: string;
  namespaced: boolean;
};

export const KINDS: Record<Kind, KindInfo> = {
  namespaces: {
    group: '',
    version: 'v1',
    kind: 'Namespace',
    namespaced: false,
  },
  pods: { group: '', version: 'v1', kind: 'Pod', namespaced: true },
  services: { group: '', version: 'v1', kind: 'Service', namespaced: true },
  secrets: { group: '', version: 'v1', kind: 'Secret', namespaced: true },
  serviceaccounts: {
    group: '',
    version: 'v1',
    kind: 'ServiceAccount',
    namespaced: true,
  },
  jobs: { group: 'batch', version: 'v1', kind: 'Job', namespaced: true },
  networkpolicies: {
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'NetworkPolicy',
    namespaced: true,
  },
  workflows: {
    group: 'argoproj.io',
    version: 'v1alpha1',
    kind: 'Workflow',
    namespaced: true,
  },
};

export const ALL_KINDS = Object.keys(KINDS) as Kind[];

export const apiVersionOf = (info: KindInfo) =>
  info.group ? `${info.group}/${info.version}` : info.version;
