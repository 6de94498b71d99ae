import type { Provider, Type } from '@nestjs/common';
import { PERSONAL_DATA_HOLDERS, type PersonalDataHolder } from './personal-data-holder';

/**
 * The holder classes as providers, and `PERSONAL_DATA_HOLDERS` as the array of their instances in the
 * order given (the order exports list sections and erasures run in). A part that stores personal data
 * of customers adds its holder class to the list in its service's module and nothing else.
 */
export function personalDataHolders(...holders: Array<Type<PersonalDataHolder>>): Provider[] {
  return [...holders, { provide: PERSONAL_DATA_HOLDERS, useFactory: (...instances: PersonalDataHolder[]) => instances, inject: holders }];
}
