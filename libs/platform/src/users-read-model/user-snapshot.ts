import { PoisonMessageError } from '../messaging/dead-letter';
import type { ReceivedEvent } from '../messaging/envelope';

/**
 * What identity's UserCreated, UserUpdated and UserDeactivated (identity.user.v1) have in common: each
 * is a full snapshot of the user with a version. Structural, so the platform needs no generated code.
 */
export interface AnyUserEvent {
  tenantId: string;
  userId: string;
  name: string;
  active: boolean;
  roles: readonly string[];
  seniority: string;
  teamIds: readonly string[];
  version: bigint;
}

/** A user as identity last described them: what a service's local `users` table keeps. */
export interface UserSnapshot {
  tenantId: string;
  userId: string;
  name: string;
  active: boolean;
  roles: readonly string[];
  /** junior, intermediate, senior or lead; empty when not set. */
  seniority: string;
  teamIds: readonly string[];
  version: number;
}

/** The read model's fields of an identity.user.v1 event; one whose payload names another tenant than its envelope is poison. */
export function userSnapshotOf(event: ReceivedEvent<AnyUserEvent>): UserSnapshot {
  const { data } = event;
  if (data.tenantId !== event.tenantId) throw new PoisonMessageError(`user event for tenant ${data.tenantId} arrived as tenant ${event.tenantId}`);
  if (!data.userId) throw new PoisonMessageError('user event without a user id');
  return {
    tenantId: data.tenantId,
    userId: data.userId,
    name: data.name,
    active: data.active,
    roles: [...data.roles],
    seniority: data.seniority,
    teamIds: [...data.teamIds],
    version: Number(data.version),
  };
}
