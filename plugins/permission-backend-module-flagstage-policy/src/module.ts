import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { FlagstagePermissionPolicy } from './FlagstagePermissionPolicy';
import {
  DEFAULT_ROLE_GROUPS,
  type FlagstageRole,
  type RoleGroups,
} from './roles';

/**
 * Installs the Flagstage role-based permission policy.
 *
 * @public
 */
export const permissionModuleFlagstagePolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'flagstage-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
        policy: policyExtensionPoint,
      },
      async init({ config, userInfo, policy }) {
        const groups: RoleGroups = { ...DEFAULT_ROLE_GROUPS };
        const rolesConfig = config.getOptionalConfig(
          'permission.flagstage.roles',
        );
        for (const role of Object.keys(groups) as FlagstageRole[]) {
          const configured = rolesConfig?.getOptionalStringArray(role);
          if (configured) groups[role] = configured;
        }
        policy.setPolicy(
          new FlagstagePermissionPolicy({
            groups,
            ownership: async user =>
              (await userInfo.getUserInfo(user.credentials))
                .ownershipEntityRefs,
          }),
        );
      },
    });
  },
});
