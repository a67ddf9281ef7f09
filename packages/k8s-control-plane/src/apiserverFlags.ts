import type { ControlPlaneCerts } from './certs';

/**
 * The flags envtest gives a standalone kube-apiserver, plus what the
 * Flagstage claims need: RBAC and Node authorization, a static token file for
 * the admin and test users, service-account issuing (TokenRequest), and the
 * default admission plugins (NamespaceLifecycle, ServiceAccount, PodSecurity,
 * ValidatingAdmissionPolicy, ...) left on.
 */
export function apiserverFlags(o: {
  certs: ControlPlaneCerts;
  etcdUrl: string;
  port: number;
  tokenFile: string;
  certDir: string;
}): string[] {
  return [
    `--etcd-servers=${o.etcdUrl}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${o.port}`,
    `--cert-dir=${o.certDir}`,
    `--tls-cert-file=${o.certs.servingCert}`,
    `--tls-private-key-file=${o.certs.servingKey}`,
    `--client-ca-file=${o.certs.caCert}`,
    // kwok serves the kubelet API (pod logs) with a certificate of this CA.
    `--kubelet-certificate-authority=${o.certs.caCert}`,
    `--token-auth-file=${o.tokenFile}`,
    '--authorization-mode=RBAC,Node',
    '--service-cluster-ip-range=10.0.0.0/24',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${o.certs.serviceAccountPub}`,
    `--service-account-signing-key-file=${o.certs.serviceAccountKey}`,
    '--allow-privileged=true',
    // The `kubernetes` Service's endpoint would be 127.0.0.1, which Endpoints
    // refuse (loopback); nothing in the tests reaches the API via the Service.
    '--endpoint-reconciler-type=none',
    // Tests create and delete many namespaces: no artificial request limits.
    '--max-requests-inflight=1000',
    '--max-mutating-requests-inflight=500',
    '--event-ttl=1h',
    '--v=1',
  ];
}
