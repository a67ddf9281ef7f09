import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import plugin, { challengeLogsContent } from './plugin';

const entity = (kind: string) => ({
  apiVersion: 'flagstage.io/v1alpha1',
  kind,
  metadata: { name: 'x' },
});

describe('observability plugin', () => {
  it('provides the API and the Logs tab', () => {
    expect(plugin.pluginId).toBe('observability');
    expect(plugin.getExtension('api:observability')).toMatchObject({
      kind: 'api',
    });
    expect(
      plugin.getExtension('entity-content:observability/challenge-logs'),
    ).toMatchObject({ kind: 'entity-content', name: 'challenge-logs' });
  });

  it('shows the Logs tab on Challenge entities only', () => {
    const tester = createExtensionTester(challengeLogsContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('/logs');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Logs');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(entity('Challenge'))).toBe(true);
    expect(filter(entity('Component'))).toBe(false);
  });
});
