import type { MigrationInterface, QueryRunner } from 'typeorm';

const GIN_INDEXES = [
  'customer_search_name_trgm_idx',
  'customer_search_name_bigrams_idx',
  'customer_search_phone_trgm_idx',
  'customer_search_email_trgm_idx',
  'customer_search_phones_idx',
  'customer_search_emails_idx',
  'customer_search_wechat_ids_idx',
  'customer_search_tags_idx',
];

/** kB of not yet merged entries a GIN index of customer_search may hold (PostgreSQL's default is 4 MB). */
const PENDING_LIST_KB = 256;

/**
 * A short pending list for the GIN indexes of `customer_search`. New entries wait in an unsorted list
 * that every search reads in full until it is merged: with the default 4 MB the duplicate check of each
 * write, which probes these indexes, read up to 4 MB per probe (4 ms for one phone number on 12k
 * customers). Switching the list off (`fastupdate = off`) makes every lookup cheap but bulk imports 8x
 * slower to index; a 256 kB list keeps lookups under a millisecond and inserts batched.
 */
export class CustomerSearchGinPendingList1739000000000 implements MigrationInterface {
  name = 'CustomerSearchGinPendingList1739000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const index of GIN_INDEXES) {
      await queryRunner.query(`ALTER INDEX ${index} SET (gin_pending_list_limit = ${PENDING_LIST_KB})`);
      await queryRunner.query(`SELECT gin_clean_pending_list('${index}'::regclass)`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of GIN_INDEXES) await queryRunner.query(`ALTER INDEX ${index} RESET (gin_pending_list_limit)`);
  }
}
