import { PoisonMessageError, type ReceivedEvent } from '@crm/platform/messaging';
import { toErasureAnswer } from './erasure-answers.consumer';

const TENANT = '5b0c2f6e-1d2a-4e3b-8c4d-5e6f7a8b9c0d';
const REQUEST = '0d6f9a3e-7a53-4a8e-9d0c-6f4c1d2b3a41';
const CUSTOMER = '9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a';

function received(data: Record<string, unknown>, tenantId = TENANT): ReceivedEvent<unknown> {
  return { id: 'e-1', type: 'crm.sales.privacy.erasure_completed.v1', source: 'crm/sales', time: '2025-03-14T09:00:00.000Z', subject: REQUEST, tenantId, topic: 'sales.privacy.v1', data, attempt: 1 };
}

describe('an ErasureCompleted answer', () => {
  const valid = { tenantId: TENANT, requestId: REQUEST, customerId: CUSTOMER, service: 'sales', recordsAffected: 12n, completedAt: '2025-03-14T09:26:53.589Z' };

  it('is read from any service contract with the common fields', () => {
    expect(toErasureAnswer(received(valid), 'sales')).toEqual({ tenantId: TENANT, requestId: REQUEST, customerId: CUSTOMER, service: 'sales', recordsAffected: 12, completedAt: new Date('2025-03-14T09:26:53.589Z') });
    expect(toErasureAnswer(received({ ...valid, completedAt: '' }), 'sales').completedAt).toEqual(new Date('2025-03-14T09:00:00.000Z'));
  });

  it.each([
    ['of another tenant than its envelope', received(valid, '00000000-0000-4000-8000-000000000000')],
    ['speaking for another service', received({ ...valid, service: 'marketing' })],
    ['without a request id', received({ ...valid, requestId: 'r-1' })],
    ['without a count', received({ ...valid, recordsAffected: undefined })],
  ])('is poison when %s', (_case, event) => {
    expect(() => toErasureAnswer(event, 'sales')).toThrow(PoisonMessageError);
  });
});
