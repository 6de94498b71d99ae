import type { EntityManager } from 'typeorm';

/** What one table (or group of tables) holds of one customer, for a privacy export. */
export interface PersonalDataSection {
  /** Key in the export archive, e.g. `customer`, `timeline`, `merges`. */
  name: string;
  /** JSON-ready data; personal data in clear (the archive is for the customer themself). */
  data: unknown;
}

/** One service's data of a customer, as every service's internal export endpoint answers (the gateway builds the archive from them). */
export interface ServiceExport {
  /** The answering service, e.g. `sales`. */
  service: string;
  sections: PersonalDataSection[];
}

/**
 * The customer's phones (E.164) and e-mails as the customers service knows them, which an erasure
 * carries (ErasureRequested), so records never linked to the customer (a lead, a web-form entry) are
 * found and erased too.
 */
export interface SubjectContacts {
  phones: readonly string[];
  emails: readonly string[];
}

/**
 * A part of a service that stores personal data of customers. Every such part registers itself under
 * `PERSONAL_DATA_HOLDERS`, so a privacy export covers it and an erasure cannot forget it: adding a
 * table with personal data means adding (or extending) a holder.
 */
export interface PersonalDataHolder {
  /** What this holder has of the customer, in the tenant's transaction. */
  export(manager: EntityManager, tenantId: string, customerId: string, contacts?: SubjectContacts): Promise<PersonalDataSection[]>;
  /**
   * Anonymises or deletes what this holder has of the customer, in the erasure's transaction, and
   * returns how many records it changed.
   */
  erase(manager: EntityManager, tenantId: string, customerId: string, contacts?: SubjectContacts): Promise<number>;
}

/** Nest token of every `PersonalDataHolder` of the service (a provider array, see customers.module). */
export const PERSONAL_DATA_HOLDERS = Symbol('PERSONAL_DATA_HOLDERS');
