import { ownershipScope, type OwnershipScope } from '@crm/platform/auth';
import { teamMembersSql } from '../users/users.repository';

/**
 * The ownership scope (rep: own records, manager: own and their teams' members', admin: all) as a SQL
 * condition on `ownerColumn` for raw queries; the values are pushed onto `params` (placeholders $n).
 * Out-of-scope rows then look missing, so single reads answer them with 404.
 */
export function ownerScopeSql(ownerColumn: string, params: unknown[], scope: OwnershipScope = ownershipScope()): string {
  switch (scope.kind) {
    case 'tenant':
      return 'TRUE';
    case 'own':
      params.push(scope.userId);
      return `${ownerColumn} = $${params.length}`;
    case 'team': {
      params.push(scope.userId);
      const user = params.length;
      params.push([...scope.teamIds]);
      return `(${ownerColumn} = $${user} OR ${ownerColumn} IN (${teamMembersSql(`$${params.length}::uuid[]`)}))`;
    }
  }
}
