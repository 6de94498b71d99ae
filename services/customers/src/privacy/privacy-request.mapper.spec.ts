import type { PrivacyRequestServiceEntity } from './privacy-request-service.entity';
import type { PrivacyRequestEntity } from './privacy-request.entity';
import { toPrivacyRequestDto } from './privacy-request.mapper';

const HOUR = 3_600_000;

describe('a privacy request as callers see it', () => {
  const createdAt = new Date('2025-03-14T08:00:00.000Z');
  const request = (overrides: Partial<PrivacyRequestEntity> = {}): PrivacyRequestEntity => ({
    id: '0d6f9a3e-7a53-4a8e-9d0c-6f4c1d2b3a41',
    tenantId: '5b0c2f6e-1d2a-4e3b-8c4d-5e6f7a8b9c0d',
    customerId: '9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a',
    type: 'erasure',
    status: 'pending',
    reason: 'data_subject_request',
    requestedBy: null,
    createdBy: 'f0000000-0000-4000-8000-000000000001',
    createdAt,
    completedAt: null,
    deliveredAt: null,
    archiveComplete: null,
    ...overrides,
  });
  const service = (name: string, status: PrivacyRequestServiceEntity['status']): PrivacyRequestServiceEntity => ({
    requestId: request().id,
    tenantId: request().tenantId,
    service: name,
    status,
    recordsAffected: status === 'completed' ? 4 : null,
    detail: null,
    completedAt: status === 'completed' ? createdAt : null,
  });
  const services = [service('customers', 'completed'), service('sales', 'pending')];

  it('is pending while services have time to answer, overdue after', () => {
    const early = toPrivacyRequestDto(request(), services, new Date(createdAt.getTime() + HOUR), 2 * HOUR);
    expect(early).toMatchObject({ status: 'pending', dueAt: '2025-03-14T10:00:00.000Z', archiveUrl: null });
    expect(early.services.map((entry) => entry.status)).toEqual(['completed', 'pending']);

    const late = toPrivacyRequestDto(request(), services, new Date(createdAt.getTime() + 3 * HOUR), 2 * HOUR);
    expect(late.status).toBe('overdue');
    expect(late.services.map((entry) => entry.status)).toEqual(['completed', 'overdue']);
  });

  it('stays completed however late', () => {
    const done = toPrivacyRequestDto(request({ status: 'completed', completedAt: createdAt }), [service('customers', 'completed')], new Date(createdAt.getTime() + 100 * HOUR), HOUR);
    expect(done.status).toBe('completed');
  });

  it('links an export to its archive', () => {
    const exported = toPrivacyRequestDto(request({ type: 'export' }), [], createdAt, HOUR);
    expect(exported).toMatchObject({ archiveUrl: `/api/v1/privacy/requests/${request().id}/archive`, deliveredAt: null, archiveComplete: null });
  });
});
