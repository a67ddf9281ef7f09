import {
  AuthorizeResult,
  createPermission,
  type Permission,
} from '@backstage/plugin-permission-common';
import {
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogLocationCreatePermission,
} from '@backstage/plugin-catalog-common/alpha';
import { mockCredentials } from '@backstage/backend-test-utils';
import { decide, FlagstagePermissionPolicy } from './FlagstagePermissionPolicy';
import { DEFAULT_ROLE_GROUPS, rolesOf } from './roles';

const p = (name: string, action?: 'create' | 'read' | 'update' | 'delete') =>
  createPermission({ name, attributes: { action } });

const contestUpdate = p('flagstage.contest.update', 'update');
const contestRead = p('flagstage.contest.read', 'read');
const contestSubmissionsRead = p('flagstage.contest.submissions.read', 'read');
const challengeStatsRead = p('flagstage.contest.challengestats.read', 'read');
const challengeCreate = p('flagstage.challenge.create', 'create');
const instanceStop = p('flagstage.instance.stop', 'delete');
const gatewayUpdate = p('flagstage.gateway.limits.update', 'update');
const logsRead = p('flagstage.logs.read', 'read');
const logsExport = p('flagstage.logs.export');
const unknownArea = p('flagstage.billing.charge', 'create');
const kubernetesProxy = p('kubernetes.proxy');
const scaffolderExecute = p('scaffolder.action.execute');
const unprocessedRead = p('catalog.entities.unprocessed.read', 'read');

const users = {
  admin: ['user:default/ada', 'group:default/ctf-admins'],
  author: ['user:default/alan', 'group:default/ctf-authors'],
  operator: ['user:default/olga', 'group:default/ctf-operators'],
  reader: ['user:default/rita', 'group:default/flagstage-staff'],
};
type Who = keyof typeof users;

function resultFor(who: Who, permission: Permission) {
  return decide({ permission }, rolesOf(users[who])).result;
}

const { ALLOW, DENY, CONDITIONAL } = AuthorizeResult;

describe('Flagstage permission policy', () => {
  it.each<[string, Permission, Record<Who, AuthorizeResult>]>([
    [
      'catalog read',
      catalogEntityReadPermission,
      { admin: ALLOW, author: ALLOW, operator: ALLOW, reader: ALLOW },
    ],
    [
      'contest read',
      contestRead,
      { admin: ALLOW, author: DENY, operator: ALLOW, reader: DENY },
    ],
    [
      'contest submissions read',
      contestSubmissionsRead,
      { admin: ALLOW, author: DENY, operator: ALLOW, reader: DENY },
    ],
    [
      'challenge stats read (authors: own challenges, checked by the API)',
      challengeStatsRead,
      { admin: ALLOW, author: ALLOW, operator: ALLOW, reader: DENY },
    ],
    [
      'contest update',
      contestUpdate,
      { admin: ALLOW, author: DENY, operator: DENY, reader: DENY },
    ],
    [
      'challenge create',
      challengeCreate,
      { admin: ALLOW, author: ALLOW, operator: DENY, reader: DENY },
    ],
    [
      'instance stop',
      instanceStop,
      { admin: ALLOW, author: DENY, operator: ALLOW, reader: DENY },
    ],
    [
      'gateway limits update',
      gatewayUpdate,
      { admin: ALLOW, author: DENY, operator: ALLOW, reader: DENY },
    ],
    [
      'logs read (operators and admins only, unlike other reads)',
      logsRead,
      { admin: ALLOW, author: DENY, operator: ALLOW, reader: DENY },
    ],
    [
      'another flagstage read',
      p('flagstage.instance.read', 'read'),
      { admin: ALLOW, author: ALLOW, operator: ALLOW, reader: ALLOW },
    ],
    [
      'logs export',
      logsExport,
      { admin: ALLOW, author: DENY, operator: ALLOW, reader: DENY },
    ],
    [
      'an unknown flagstage area',
      unknownArea,
      { admin: ALLOW, author: DENY, operator: DENY, reader: DENY },
    ],
    [
      'catalog location create',
      catalogLocationCreatePermission,
      { admin: ALLOW, author: ALLOW, operator: DENY, reader: DENY },
    ],
    [
      'catalog entity create',
      catalogEntityCreatePermission,
      { admin: ALLOW, author: ALLOW, operator: DENY, reader: DENY },
    ],
    [
      'catalog entity delete',
      catalogEntityDeletePermission,
      { admin: ALLOW, author: CONDITIONAL, operator: DENY, reader: DENY },
    ],
    [
      'catalog entity refresh',
      catalogEntityRefreshPermission,
      { admin: ALLOW, author: CONDITIONAL, operator: DENY, reader: DENY },
    ],
    [
      'kubernetes proxy',
      kubernetesProxy,
      { admin: ALLOW, author: DENY, operator: ALLOW, reader: DENY },
    ],
    [
      'scaffolder execute',
      scaffolderExecute,
      { admin: ALLOW, author: ALLOW, operator: DENY, reader: DENY },
    ],
    [
      'unprocessed entities read',
      unprocessedRead,
      { admin: ALLOW, author: ALLOW, operator: ALLOW, reader: DENY },
    ],
  ])('%s', (_, permission, expected) => {
    for (const who of Object.keys(expected) as Who[]) {
      expect({ who, result: resultFor(who, permission) }).toEqual({
        who,
        result: expected[who],
      });
    }
  });

  it('limits authors to Challenge entities when deleting from the catalog', () => {
    const decision = decide(
      { permission: catalogEntityDeletePermission },
      rolesOf(users.author),
    );
    expect(decision).toEqual({
      result: CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_KIND',
        resourceType: 'catalog-entity',
        params: { kinds: ['Challenge'] },
      },
    });
  });

  it('reads roles from ownership refs, case-insensitively, with configurable groups', () => {
    expect([...rolesOf(['Group:Default/CTF-Admins'])]).toEqual(['admin']);
    expect([
      ...rolesOf(['group:default/ctf-authors', 'group:default/ctf-operators']),
    ]).toEqual(['author', 'operator']);
    const custom = { ...DEFAULT_ROLE_GROUPS, operator: ['group:default/sre'] };
    expect([...rolesOf(['group:default/sre'], custom)]).toEqual(['operator']);
    expect([...rolesOf(['group:default/ctf-operators'], custom)]).toEqual([]);
  });

  describe('FlagstagePermissionPolicy.handle', () => {
    const ownership: Record<string, string[]> = {
      'user:default/ada': users.admin,
      'user:default/olga': users.operator,
    };
    const policy = new FlagstagePermissionPolicy({
      groups: DEFAULT_ROLE_GROUPS,
      ownership: async user =>
        ownership[
          (user.credentials.principal as { userEntityRef: string })
            .userEntityRef
        ] ?? [],
    });
    const userOf = (ref: string) => ({
      credentials: mockCredentials.user(ref),
      info: { userEntityRef: ref, ownershipEntityRefs: [] },
    });

    it('resolves ownership through the resolver, not the deprecated info field', async () => {
      await expect(
        policy.handle(
          { permission: instanceStop },
          userOf('user:default/olga'),
        ),
      ).resolves.toEqual({ result: ALLOW });
      await expect(
        policy.handle(
          { permission: contestUpdate },
          userOf('user:default/olga'),
        ),
      ).resolves.toEqual({ result: DENY });
      await expect(
        policy.handle(
          { permission: contestUpdate },
          userOf('user:default/ada'),
        ),
      ).resolves.toEqual({ result: ALLOW });
    });

    it('denies when there is no user', async () => {
      await expect(policy.handle({ permission: contestRead })).resolves.toEqual(
        { result: DENY },
      );
    });
  });
});
