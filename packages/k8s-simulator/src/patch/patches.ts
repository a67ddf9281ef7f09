import {
  JsonPatchError,
  applyPatch,
  deepClone,
  type Operation,
} from 'fast-json-patch';
import { apply as applyJsonMergePatch } from 'json-merge-patch';
import { KubeSimulatorError } from '../KubeSimulatorError';

/** The patch types a PATCH request can carry, from its content type. */
export type PatchType = 'json' | 'merge' | 'apply';

/**
 * The patch type of a PATCH request. Strategic merge patch
 * (`application/strategic-merge-patch+json`) is treated as a JSON merge
 * patch: the simulator has no schema with list merge keys, so lists are
 * replaced, not merged by key. Server-side apply is not simulated (415).
 */
export function patchTypeOf(contentType: string): PatchType {
  if (contentType.includes('json-patch+json')) return 'json';
  if (contentType.includes('apply-patch')) return 'apply';
  return 'merge';
}

/**
 * Errors in the patch document itself (not an array, an unknown op, a
 * missing value): a malformed request, 400.
 */
const MALFORMED: JsonPatchError['name'][] = [
  'SEQUENCE_NOT_AN_ARRAY',
  'OPERATION_NOT_AN_OBJECT',
  'OPERATION_OP_INVALID',
  'OPERATION_PATH_INVALID',
  'OPERATION_FROM_REQUIRED',
  'OPERATION_VALUE_REQUIRED',
  'OPERATION_VALUE_CANNOT_CONTAIN_UNDEFINED',
];

/**
 * RFC 6902 JSON patch (client-node's default patch type), applied by
 * fast-json-patch to a copy of `target`. As the API server answers: a
 * malformed patch is 400 BadRequest; one that does not apply (a failing
 * `test`, a missing path) is 422 Invalid.
 */
export function applyJsonPatch(target: any, ops: unknown): any {
  if (!Array.isArray(ops))
    throw new KubeSimulatorError(
      400,
      'BadRequest',
      'a JSON patch is an array of operations',
    );
  try {
    return applyPatch(deepClone(target), ops as Operation[], true).newDocument;
  } catch (e) {
    if (!(e instanceof JsonPatchError)) throw e;
    const op = e.operation as Operation | undefined;
    const at = op ? ` (${op.op} ${op.path})` : '';
    if (MALFORMED.includes(e.name))
      throw new KubeSimulatorError(400, 'BadRequest', `${e.name}${at}`);
    throw new KubeSimulatorError(
      422,
      'Invalid',
      `the JSON patch does not apply: ${e.name}${at}`,
    );
  }
}

/**
 * RFC 7386 JSON merge patch (RFC 7396 since), applied by json-merge-patch to
 * a copy of `target`: a `null` deletes the key, objects merge, anything else
 * (arrays included) replaces.
 */
export function applyMergePatch(target: any, patch: unknown): any {
  return applyJsonMergePatch(deepClone(target), patch);
}
