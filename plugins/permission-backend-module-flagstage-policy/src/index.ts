/**
 * Flagstage's role-based permission policy for the Backstage permission plugin.
 *
 * @packageDocumentation
 */
export { permissionModuleFlagstagePolicy as default } from './module';
export * from './FlagstagePermissionPolicy';
export * from './roles';
