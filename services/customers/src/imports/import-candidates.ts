import { MATCHES_PER_RULE, detectionSql } from '../duplicates/duplicate-rules';

/** Customers per statement of the duplicate check after an import, as in a full scan. */
export const CANDIDATE_BATCH_SIZE = 500;

/**
 * The customers an import created or changed, in row order after `$2`, at most `$3` ($1 job): rows
 * created as they are, and the first row of each group the write path applied.
 */
export const NEXT_IMPORTED_SQL = `
  SELECT row_no, COALESCE(target_id, customer_id) AS customer_id FROM customer_import_rows
   WHERE job_id = $1 AND row_no > $2 AND (outcome IS NULL OR (row_no = leader_row_no AND outcome <> 'rejected'))
   ORDER BY row_no LIMIT $3`;

/**
 * The duplicate rules of every write path (duplicate-rules), for a batch of imported customers against
 * all of the tenant's: pairs are stored as candidates, never merged. Sure matches inside the file were
 * already made one customer; what remains are similar names in the same region or industry, and
 * customers the file linked to more than one existing customer.
 */
export const IMPORTED_CANDIDATES_SQL = detectionSql({
  source: `SELECT s.customer_id AS id, s.phones, s.emails, s.name_search AS name_key, c.region, c.industry
             FROM customer_search s JOIN customers c ON c.id = s.customer_id AND c.deleted_at IS NULL
            WHERE s.customer_id = ANY($1::uuid[])`,
  tenant: '$2::uuid',
  threshold: '$3::real',
  limit: '$4::int',
});

export { MATCHES_PER_RULE };
