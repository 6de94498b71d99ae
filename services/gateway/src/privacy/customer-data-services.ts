import type { UpstreamService } from '../routes/route-table';

/**
 * The services that hold data about customers, each answering the same internal export route. identity
 * holds users, not customers. A service that is not deployed holds nothing and is left out.
 */
export const CUSTOMER_DATA_SERVICES: readonly UpstreamService[] = ['customers', 'sales', 'ticketing', 'marketing', 'analytics'];

/** `{service, sections}` of one customer, personal data in clear (the archive is for the data subject). */
export function exportPath(customerId: string): string {
  return `/api/v1/internal/privacy/customers/${encodeURIComponent(customerId)}/export`;
}

/** customers' privacy request, read with the caller's identity: it decides who may have the archive. */
export function privacyRequestPath(requestId: string): string {
  return `/api/v1/privacy/requests/${encodeURIComponent(requestId)}`;
}

/** Where customers is told the archive was delivered. */
export function deliveryPath(requestId: string): string {
  return `/api/v1/internal/privacy/requests/${encodeURIComponent(requestId)}/delivery`;
}

const ARCHIVE_ROUTE = /^\/api\/v1\/privacy\/requests\/([^/?#]+)\/archive\/?(?:\?.*)?$/;

/** The request id of `GET /api/v1/privacy/requests/{id}/archive`, which the gateway answers itself. */
export function archiveRequestId(method: string | undefined, url: string): string | undefined {
  if (method !== 'GET') return undefined;
  const match = ARCHIVE_ROUTE.exec(url);
  return match ? decodeURIComponent(match[1]) : undefined;
}
