/** The name and version of this process's service (`backend`, `worker`). @public */
export type ServiceMeta = { service: string; version: string };

let meta: ServiceMeta = {
  service: process.env.FLAGSTAGE_SERVICE ?? 'backend',
  version: process.env.FLAGSTAGE_VERSION ?? '0.0.0',
};

/** Set once at start-up by the root logger factory. @public */
export function setServiceMeta(next: ServiceMeta) {
  meta = next;
}

/** @public */
export function serviceMeta(): ServiceMeta {
  return meta;
}
