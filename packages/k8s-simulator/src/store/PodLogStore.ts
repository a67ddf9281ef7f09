/**
 * Pod logs by pod uid, then container (`*`: every container of the pod).
 * Keyed by uid, so a pod deleted and created again under the same name
 * starts with an empty log, as on a real node.
 */
export class PodLogStore {
  private readonly logs = new Map<string, Map<string, string>>();

  set(podUid: string, text: string, container?: string) {
    const byContainer = this.logs.get(podUid) ?? new Map<string, string>();
    byContainer.set(container ?? '*', text);
    this.logs.set(podUid, byContainer);
  }

  /** The text set for the container, else for the whole pod, else empty. */
  textOf(podUid: string, container: string): string {
    const logs = this.logs.get(podUid);
    return logs?.get(container) ?? logs?.get('*') ?? '';
  }

  delete(podUid: string) {
    this.logs.delete(podUid);
  }
}
