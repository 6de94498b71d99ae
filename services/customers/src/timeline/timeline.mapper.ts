import type { TimelineEntryDto } from './dto/timeline.dto';
import type { TimelineEntryEntity } from './timeline-entry.entity';

export function toTimelineEntryDto(entry: TimelineEntryEntity): TimelineEntryDto {
  return {
    id: entry.id,
    occurredAt: entry.occurredAt.toISOString(),
    type: entry.type,
    source: entry.source,
    title: entry.title,
    summary: entry.summary,
    referenceId: entry.referenceId,
    actorId: entry.actorId,
    data: { ...entry.payload },
  };
}
