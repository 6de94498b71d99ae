import { toCustomerDto } from '../customers/customer.mapper';
import type { CustomerMergeDto } from './dto/merge.dto';
import type { MergeRow, MergeSnapshot } from './merges.repository';

/** A merge as the API shows it; `snapshots` (one merge only) become the customers as they were before. */
export function toCustomerMergeDto(row: MergeRow, snapshots?: readonly MergeSnapshot[]): CustomerMergeDto {
  const dto: CustomerMergeDto = {
    id: row.id,
    survivorId: row.survivor_id,
    mergedIds: [...row.merged_ids],
    fieldChoices: { ...row.field_choices },
    survivorVersion: row.survivor_version,
    mergedBy: row.merged_by,
    mergedAt: row.merged_at.toISOString(),
    undoneBy: row.undone_by,
    undoneAt: row.undone_at ? row.undone_at.toISOString() : null,
    snapshotsErased: row.erased_at !== null,
  };
  if (snapshots) dto.before = snapshots.flatMap((snapshot) => (snapshot.customer ? [toCustomerDto(snapshot.customer)] : []));
  return dto;
}
