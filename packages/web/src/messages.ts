/**
 * Sentences people read about permissions and errors: role names instead of API operation ids or
 * token scopes, and no wire error codes in front of messages.
 */
import { OPERATION_PERMISSIONS, type OperationId, type OperationPermissions } from '@cordon/protocol';
import { ROLE_PERMISSIONS } from './labels.js';

/** The roles that, each on its own, allow an operation. */
export function rolesAllowing(operation: OperationId): string[] {
  const spec: OperationPermissions = OPERATION_PERMISSIONS[operation];
  return Object.keys(ROLE_PERMISSIONS).filter((role) => spec.delegated.every((group) => group.some((p) => ROLE_PERMISSIONS[role]!.includes(p))));
}

/** "Needs the Alerts investigation or Manage security settings role": why a button is disabled. */
export function notAllowedText(operation: OperationId): string {
  const roles = rolesAllowing(operation);
  if (roles.length === 0) return 'Your roles do not allow this';
  return `Needs the ${roles.join(' or ')} role`;
}
