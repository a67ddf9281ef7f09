import { ConfigReader } from '@backstage/config';
import { CoreV1Api } from '@kubernetes/client-node';
import { KubeSimulator } from '@flagstage/k8s-simulator';
import { kubeConfigFrom } from './kubeConfigFrom';

/** A root config with Backstage's `kubernetes` block holding these clusters. */
const withClusters = (...clusters: object[]) =>
  new ConfigReader({
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        { type: 'catalog' },
        { type: 'config', clusters },
      ],
    },
  });

describe('kubeConfigFrom', () => {
  it('connects with the named entry of kubernetes.clusterLocatorMethods (type: config)', async () => {
    const sim = await KubeSimulator.start();
    try {
      const kc = kubeConfigFrom(
        withClusters(
          { name: 'other', url: 'https://10.9.9.9:6443' },
          {
            name: 'challenges',
            url: sim.url,
            authProvider: 'serviceAccount',
            serviceAccountToken: 'sa-token',
            skipTLSVerify: true,
          },
        ),
        'challenges',
      );
      expect(kc.getCurrentCluster()).toMatchObject({
        name: 'challenges',
        server: sim.url,
        skipTLSVerify: true,
      });
      expect(kc.getCurrentUser()).toMatchObject({ token: 'sa-token' });
      const namespaces = await kc.makeApiClient(CoreV1Api).listNamespace();
      expect(namespaces.items.map(n => n.metadata?.name)).toContain('argo');
    } finally {
      await sim.close();
    }
  });

  it('takes caData and caFile, and without a token uses the mounted service account token', () => {
    const kc = kubeConfigFrom(
      withClusters({
        name: 'challenges',
        url: 'https://kubernetes.default.svc',
        caData: 'Q0E=',
        caFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
      }),
      'challenges',
    );
    expect(kc.getCurrentCluster()).toMatchObject({
      server: 'https://kubernetes.default.svc',
      caData: 'Q0E=',
      caFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
      skipTLSVerify: false,
    });
    expect(kc.getCurrentUser()).toMatchObject({
      authProvider: {
        name: 'tokenFile',
        config: {
          tokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
        },
      },
    });
  });

  it('names the declared clusters when the one asked for is missing, and refuses user auth providers', () => {
    const config = withClusters(
      { name: 'challenges', url: 'https://a' },
      { name: 'gke', url: 'https://b', authProvider: 'google' },
    );
    expect(() => kubeConfigFrom(config, 'nope')).toThrow(
      'no kubernetes cluster named "nope" in kubernetes.clusterLocatorMethods (type: config); declared: challenges, gke',
    );
    expect(() => kubeConfigFrom(new ConfigReader({}), 'nope')).toThrow(
      /declared: none/,
    );
    expect(() => kubeConfigFrom(config, 'gke')).toThrow(
      /uses authProvider "google"/,
    );
  });

  it('uses the in-cluster service account when no cluster is named', () => {
    const saved = { ...process.env };
    process.env.KUBERNETES_SERVICE_HOST = '10.96.0.1';
    process.env.KUBERNETES_SERVICE_PORT = '443';
    try {
      const kc = kubeConfigFrom(withClusters(), undefined);
      expect(kc.getCurrentCluster()?.server).toBe('https://10.96.0.1:443');
      expect(kc.getCurrentUser()?.authProvider?.name).toBe('tokenFile');
    } finally {
      process.env = saved;
    }
  });
});
