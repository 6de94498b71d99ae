import type { UpstreamService } from '../routes/route-table';

/** What one service contributed to an archive. */
export type ServicePart =
  | { status: 'included'; sections: unknown[] }
  /** Deployed, but down, too slow, or without the export endpoint: the archive is incomplete. */
  | { status: 'unavailable'; detail: string }
  /** Not part of this installation, so it holds nothing. */
  | { status: 'not_deployed' };

export interface ArchiveHeader {
  requestId: string;
  customerId: string;
  generatedAt: string;
}

/** Whether every deployed service holding customer data is in the archive. */
export function isComplete(parts: ReadonlyMap<UpstreamService, ServicePart>): boolean {
  return [...parts.values()].every((part) => part.status !== 'unavailable');
}

/**
 * The archive `{requestId, customerId, generatedAt, complete, services: {<service>: part}}` as JSON text,
 * one piece per service, so a large export is written out as it is serialised rather than as one string.
 */
export function* archiveChunks(header: ArchiveHeader, parts: ReadonlyMap<UpstreamService, ServicePart>): Generator<string> {
  yield `{"requestId":${JSON.stringify(header.requestId)},"customerId":${JSON.stringify(header.customerId)},"generatedAt":${JSON.stringify(header.generatedAt)},"complete":${isComplete(parts)},"services":{`;
  let first = true;
  for (const [service, part] of parts) {
    yield `${first ? '' : ','}${JSON.stringify(service)}:${JSON.stringify(part)}`;
    first = false;
  }
  yield '}}';
}

/** What customers records of a delivery: the deployed services and whether each made it in. */
export function deliveryReport(parts: ReadonlyMap<UpstreamService, ServicePart>): { complete: boolean; services: Array<{ service: string; status: 'included' | 'unavailable'; detail?: string }> } {
  const services: Array<{ service: string; status: 'included' | 'unavailable'; detail?: string }> = [];
  for (const [service, part] of parts) {
    if (part.status === 'included') services.push({ service, status: 'included' });
    else if (part.status === 'unavailable') services.push({ service, status: 'unavailable', detail: part.detail });
  }
  return { complete: isComplete(parts), services };
}

/** A service's answer as an archive part: `{service, sections: [...]}` of that very service, or unusable. */
export function toServicePart(service: UpstreamService, body: unknown): ServicePart {
  const answer = body as { service?: unknown; sections?: unknown } | undefined;
  if (!answer || answer.service !== service || !Array.isArray(answer.sections)) return { status: 'unavailable', detail: `The ${service} service answered an unusable export` };
  return { status: 'included', sections: answer.sections };
}
