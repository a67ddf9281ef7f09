import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import plugin, { challengeContestContent, contestsPage } from './plugin';

const entity = (kind: string) => ({
  apiVersion: 'flagstage.io/v1alpha1',
  kind,
  metadata: { name: 'x' },
});

describe('contest plugin', () => {
  it('provides the API, the Contests page and the Challenge tab', () => {
    expect(plugin.pluginId).toBe('contest');
    expect(plugin.getExtension('api:contest')).toMatchObject({ kind: 'api' });
    expect(plugin.getExtension('page:contest')).toMatchObject({
      kind: 'page',
    });
    expect(
      plugin.getExtension('entity-content:contest/challenge-contest'),
    ).toMatchObject({ kind: 'entity-content', name: 'challenge-contest' });
  });

  it('mounts the page at /contests with the title that makes the nav item', () => {
    const tester = createExtensionTester(contestsPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/contests');
    expect(tester.get(coreExtensionData.title)).toBe('Contests');
    expect(tester.get(coreExtensionData.icon)).toBeDefined();
  });

  it('shows the Contest tab on Challenge entities only', () => {
    const tester = createExtensionTester(challengeContestContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('/contest');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Contest');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(entity('Challenge'))).toBe(true);
    expect(filter(entity('Component'))).toBe(false);
    expect(filter(entity('Group'))).toBe(false);
  });
});
