import { SalesErasureCompletedEvent } from '@crm/contracts';
import type { EventContractRef } from '@crm/platform/messaging';

/**
 * The ErasureCompleted contract of every other service that takes part in erasures, each published on
 * its own `<service>.privacy.v1` with the fields of customers.privacy.v1's ErasureCompleted (the customers
 * service answers for itself in the erasure's transaction). A service joins by adding its generated
 * contract here, and the customers group to its topic's consumers in deploy/kafka/topics.yaml; a
 * deployment waits for the services named in CUSTOMERS_PRIVACY_PARTICIPANTS.
 */
export const ERASURE_ANSWER_CONTRACTS: readonly EventContractRef[] = [SalesErasureCompletedEvent];

/** The service an answer contract belongs to: the first part of its topic. */
export function serviceOf(contract: EventContractRef): string {
  return contract.topic.split('.')[0];
}
