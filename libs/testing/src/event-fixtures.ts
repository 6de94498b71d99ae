import { randomUUID } from 'node:crypto';
import { create, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { type EventContract, UserCreatedEvent, UserCreatedSchema, UserDeactivatedEvent, UserDeactivatedSchema, UserUpdatedEvent, UserUpdatedSchema } from '@crm/contracts';
import { encodeEvent, type EventEnvelope, type EventTransport } from '@crm/platform/messaging';

/** A user as identity.user.v1 describes them. */
export interface UserFixture {
  tenantId: string;
  userId: string;
  name?: string;
  roles?: string[];
  teamIds?: string[];
  active?: boolean;
  /** junior, intermediate, senior or lead; empty when not given. */
  seniority?: string;
  version?: number;
}

/**
 * Publishes an event on the transport as its producer would (source from the topic, tenant from the
 * message); with the in-process transport it resolves once every subscriber has committed it.
 */
export async function publishEvent<S extends DescMessage>(
  transport: EventTransport,
  contract: EventContract<S>,
  message: MessageShape<S> & { tenantId: string },
  subject: string,
  eventId: string = randomUUID(),
): Promise<void> {
  const envelope: EventEnvelope = {
    id: eventId,
    type: contract.type,
    source: `crm/${contract.topic.split('.')[0]}`,
    time: new Date().toISOString(),
    subject,
    tenantId: message.tenantId,
    topic: contract.topic,
    data: encodeEvent(contract, message),
  };
  await transport.publish([envelope]);
}

/** Publishes identity's UserCreated, UserUpdated or UserDeactivated for the fixture. */
export function publishUserEvent(transport: EventTransport, kind: 'created' | 'updated' | 'deactivated', user: UserFixture, eventId: string = randomUUID()): Promise<void> {
  const payload = {
    tenantId: user.tenantId,
    userId: user.userId,
    name: user.name ?? 'someone',
    email: `${user.userId}@example.test`,
    roles: user.roles ?? ['rep'],
    teamIds: user.teamIds ?? [],
    active: kind === 'deactivated' ? false : (user.active ?? true),
    locale: 'zh-CN',
    timeZone: 'Asia/Shanghai',
    seniority: user.seniority ?? '',
    version: BigInt(user.version ?? 1),
  };
  if (kind === 'created') return publishEvent(transport, UserCreatedEvent, create(UserCreatedSchema, payload), user.userId, eventId);
  if (kind === 'updated') return publishEvent(transport, UserUpdatedEvent, create(UserUpdatedSchema, payload), user.userId, eventId);
  return publishEvent(transport, UserDeactivatedEvent, create(UserDeactivatedSchema, payload), user.userId, eventId);
}
