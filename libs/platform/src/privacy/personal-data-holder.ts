import type { EntityManager } from 'typeorm';

/** What one table (or group of tables) holds of one customer, for a privacy export. */
export interface PersonalDataSection {
  /** Key in the export archive, e.g. `customer`, `timeline`, `merges`. */
  name: string;
  /** JSON-ready data; personal data in clear (the archive is for the customer themself). */
  data: unknown;
}

/**
 * A part of the customers service that stores personal data of customers. Every such part registers
 * itself under `PERSONAL_DATA_HOLDERS`, so a privacy export covers it and an erasure cannot forget it:
 * adding a table with personal data means adding (or extending) a holder.
 */
export interface PersonalDataHolder {
  /** What this holder has of the customer, in the tenant's transaction. */
  export(manager: EntityManager, tenantId: string, customerId: string): Promise<PersonalDataSection[]>;
  /**
   * Anonymises or deletes what this holder has of the customer, in the erasure's transaction, and
   * returns how many records it changed.
   */
  erase(manager: EntityManager, tenantId: string, customerId: string): Promise<number>;
}

/** Nest token of every `PersonalDataHolder` of the service (a provider array, see customers.module). */
export const PERSONAL_DATA_HOLDERS = Symbol('PERSONAL_DATA_HOLDERS');
