import type { PrivacyRequestServiceEntity } from './privacy-request-service.entity';
import type { PrivacyRequestEntity } from './privacy-request.entity';
import type { PrivacyRequestDto, PrivacyRequestServiceDto } from './dto/privacy-request.dto';

/** Where the gateway serves an export's archive (it composes every service's part). */
export function archiveUrlOf(requestId: string): string {
  return `/api/v1/privacy/requests/${requestId}/archive`;
}

/**
 * What callers see of a request at `now`: whatever is still pending after `overdueAfterMs` shows as
 * overdue, computed on every read rather than by a timer, so nothing is ever silently completed.
 */
export function toPrivacyRequestDto(request: PrivacyRequestEntity, services: readonly PrivacyRequestServiceEntity[], now: Date, overdueAfterMs: number): PrivacyRequestDto {
  const dueAt = new Date(request.createdAt.getTime() + overdueAfterMs);
  const late = now > dueAt;
  const isExport = request.type === 'export';
  return {
    id: request.id,
    type: request.type,
    customerId: request.customerId,
    status: request.status === 'pending' && late ? 'overdue' : request.status,
    reason: request.reason,
    requestedBy: request.requestedBy,
    createdBy: request.createdBy,
    createdAt: request.createdAt.toISOString(),
    dueAt: dueAt.toISOString(),
    completedAt: request.completedAt?.toISOString() ?? null,
    archiveUrl: isExport ? archiveUrlOf(request.id) : null,
    deliveredAt: isExport ? (request.deliveredAt?.toISOString() ?? null) : null,
    archiveComplete: isExport ? request.archiveComplete : null,
    services: services.map((service) => toServiceDto(service, late)),
  };
}

function toServiceDto(service: PrivacyRequestServiceEntity, late: boolean): PrivacyRequestServiceDto {
  return {
    service: service.service,
    status: service.status === 'pending' && late ? 'overdue' : service.status,
    recordsAffected: service.recordsAffected,
    detail: service.detail,
    completedAt: service.completedAt?.toISOString() ?? null,
  };
}
