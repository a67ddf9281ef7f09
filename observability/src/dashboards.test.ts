import { allPanels, readDashboards } from './dashboards';

const dashboards = readDashboards();

/** `${name}` or `$name` → name; anything else (a fixed uid) → undefined. */
function variableName(uid: string | undefined): string | undefined {
  return /^\$\{(\w+)\}$|^\$(\w+)$/
    .exec(uid ?? '')
    ?.slice(1)
    .find(Boolean);
}

describe('Grafana dashboards (observability/grafana/dashboards)', () => {
  it('has the four dashboards, each with a unique uid and a title', () => {
    expect(dashboards.map(d => d.file)).toEqual([
      'contest.json',
      'deployments.json',
      'gateway.json',
      'platform-overview.json',
    ]);
    for (const d of dashboards) {
      expect([d.file, d.uid]).toEqual([d.file, expect.stringMatching(/^\S+$/)]);
      expect([d.file, d.title]).toEqual([d.file, expect.stringMatching(/\S/)]);
      // Grafana limits uids to 40 characters.
      expect(d.uid.length).toBeLessThanOrEqual(40);
    }
    expect(new Set(dashboards.map(d => d.uid)).size).toBe(dashboards.length);
  });

  it('panel ids are unique within each dashboard', () => {
    for (const d of dashboards) {
      const ids = allPanels(d).map(p => p.id);
      expect([d.file, ids.every(id => Number.isInteger(id))]).toEqual([
        d.file,
        true,
      ]);
      expect([d.file, new Set(ids).size]).toEqual([d.file, ids.length]);
    }
  });

  it('every query panel reads from a datasource variable of the right type, and every variable is used', () => {
    for (const d of dashboards) {
      const variables = new Map(
        d.templating.list
          .filter(v => v.type === 'datasource')
          .map(v => [v.name, String(v.query)]),
      );
      expect([d.file, variables.get('datasource')]).toEqual([
        d.file,
        'prometheus',
      ]);
      const used = new Set<string>();
      for (const panel of allPanels(d).filter(p => p.type !== 'row')) {
        const where = `${d.file}: panel ${panel.id} "${panel.title}"`;
        const name = variableName(panel.datasource?.uid);
        expect([where, name && variables.get(name)]).toEqual([
          where,
          panel.datasource?.type,
        ]);
        expect([where, panel.targets?.length]).toEqual([
          where,
          expect.any(Number),
        ]);
        for (const target of panel.targets ?? []) {
          expect([
            where,
            target.datasource?.uid ?? panel.datasource?.uid,
          ]).toEqual([where, panel.datasource?.uid]);
          expect([where, target.expr]).toEqual([
            where,
            expect.stringMatching(/\S/),
          ]);
        }
        used.add(name!);
      }
      expect([d.file, [...variables.keys()].sort()]).toEqual([
        d.file,
        [...used].sort(),
      ]);
    }
  });

  it('the deployments dashboard has a Loki logs panel', () => {
    const deployments = dashboards.find(d => d.file === 'deployments.json')!;
    const logs = allPanels(deployments).filter(
      p => p.type === 'logs' && p.datasource?.type === 'loki',
    );
    expect(logs.length).toBeGreaterThanOrEqual(1);
    expect(logs[0].targets![0].expr).toMatch(/^\{.*namespace=/);
  });
});
