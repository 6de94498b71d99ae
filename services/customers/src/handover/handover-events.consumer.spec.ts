import { randomUUID } from 'node:crypto';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { HandoverCompletedEvent, HandoverCompletedSchema, type HandoverCompleted } from '@crm/contracts';
import { PoisonMessageError, type ReceivedEvent } from '@crm/platform/messaging';
import { toHandover } from './handover-events.consumer';

const tenantId = randomUUID();
const [from, to, other, customer, by] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];

function received(data: MessageInitShape<typeof HandoverCompletedSchema>, envelopeTenant = tenantId): ReceivedEvent<HandoverCompleted> {
  return {
    id: randomUUID(),
    type: HandoverCompletedEvent.type,
    source: 'crm/sales',
    time: new Date().toISOString(),
    subject: randomUUID(),
    tenantId: envelopeTenant,
    topic: HandoverCompletedEvent.topic,
    attempt: 1,
    data: create(HandoverCompletedSchema, { tenantId, handoverId: randomUUID(), fromUserId: from, toUserId: to, handedOverBy: by, ...data }),
  };
}

describe('toHandover', () => {
  it('reads the new owners; empty means the shared pool', () => {
    const handover = toHandover(received({ toUserId: '', customerAssignments: [{ customerId: customer.toUpperCase(), toUserId: other }], handedOverBy: '' }));
    expect(handover).toEqual({ tenantId, fromUserId: from, toUserId: null, assignments: new Map([[customer, other]]), handedOverBy: null });
    expect(toHandover(received({})).toUserId).toBe(to);
  });

  it.each([
    ['another tenant in the payload', received({}, randomUUID()), 'arrived as tenant'],
    ['no fromUserId', received({ fromUserId: '' }), 'fromUserId'],
    ['a toUserId that is no id', received({ toUserId: 'bob' }), 'toUserId'],
    ['an assignment without customer id', received({ customerAssignments: [{ customerId: 'c-1', toUserId: to }] }), 'customerAssignments[0].customerId'],
  ])('refuses %s as poison', (_case, event, message) => {
    expect(() => toHandover(event)).toThrow(PoisonMessageError);
    expect(() => toHandover(event)).toThrow(message);
  });
});
