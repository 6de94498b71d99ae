import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CustomersEnv } from '../config/customers.env';
import type { CustomerEntity } from '../customers/customer.entity';
import { searchColumns } from '../customers/customer-search';
import { detectionSql, MATCHES_PER_RULE, ME_COLUMNS, type DetectedPairRow } from './duplicate-rules';
import type { PossibleDuplicateDto } from './dto/duplicate.dto';
import { toPossibleDuplicates } from './duplicate.mapper';

/** Several customers (batch chunks): one lateral probe per customer. */
export const WRITE_CHECK_SQL = detectionSql({
  source: `SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(${ME_COLUMNS})`,
  tenant: '$2::uuid',
  threshold: '$3::real',
  limit: '$4::int',
});

/** One customer (create): the values are parameters the planner sees. */
export const SINGLE_CHECK_SQL = detectionSql({
  source: `SELECT $1::uuid AS id, $5::text[] AS phones, $6::text[] AS emails, $7::text AS name_key, $8::text AS region, $9::text AS industry`,
  tenant: '$2::uuid',
  threshold: '$3::real',
  limit: '$4::int',
  inline: { id: '$1::uuid', phones: '$5::text[]', emails: '$6::text[]', nameKey: '$7::text', region: '$8::text', industry: '$9::text' },
});

/**
 * The duplicate check of every write path (create, batch): one statement, in the write's transaction,
 * after the customers and their `customer_search` rows are written. It never blocks a write; sure
 * matches are reported, never merged.
 */
@Injectable()
export class DuplicateDetector {
  readonly threshold: number;

  constructor(config: CustomersEnv) {
    this.threshold = config.CUSTOMERS_DUPLICATE_NAME_SIMILARITY_PERCENT / 100;
  }

  /** The open pairs of these customers, by customer id (each customer's other side, score and reasons). */
  async check(manager: EntityManager, customers: readonly CustomerEntity[]): Promise<Map<string, PossibleDuplicateDto[]>> {
    if (customers.length === 0) return new Map();
    const rows = customers.map((customer) => ({
      id: customer.id,
      phones: customer.phones,
      emails: customer.emails,
      name_key: searchColumns(customer).nameSearch,
      region: customer.region,
      industry: customer.industry,
    }));
    const common = [customers[0].tenantId, this.threshold, MATCHES_PER_RULE];
    const [one] = rows;
    const found: DetectedPairRow[] =
      rows.length === 1
        ? await manager.query(SINGLE_CHECK_SQL, [one.id, ...common, one.phones, one.emails, one.name_key, one.region, one.industry])
        : await manager.query(WRITE_CHECK_SQL, [JSON.stringify(rows), ...common]);
    return toPossibleDuplicates(
      customers.map((customer) => customer.id),
      found,
    );
  }
}
