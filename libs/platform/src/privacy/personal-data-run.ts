import type { EntityManager } from 'typeorm';
import type { PersonalDataHolder, PersonalDataSection, SubjectContacts } from './personal-data-holder';

/** Every holder's sections about the customer, in the holders' order, in the caller's transaction. */
export async function exportPersonalData(
  holders: readonly PersonalDataHolder[],
  manager: EntityManager,
  tenantId: string,
  customerId: string,
  contacts?: SubjectContacts,
): Promise<PersonalDataSection[]> {
  const sections: PersonalDataSection[] = [];
  for (const holder of holders) sections.push(...(await holder.export(manager, tenantId, customerId, contacts)));
  return sections;
}

/** Erases the customer in every holder, in the holders' order, in the caller's transaction; the records changed. */
export async function erasePersonalData(
  holders: readonly PersonalDataHolder[],
  manager: EntityManager,
  tenantId: string,
  customerId: string,
  contacts?: SubjectContacts,
): Promise<number> {
  let recordsAffected = 0;
  for (const holder of holders) recordsAffected += await holder.erase(manager, tenantId, customerId, contacts);
  return recordsAffected;
}
