import { Injectable } from '@nestjs/common';
import { CustomersEnv } from '../config/customers.env';
import { answeringServices } from './erasure-answers.consumer';

/** The customers service itself: it erases in the request's transaction and answers at once. */
export const OWN_SERVICE = 'customers';

/**
 * The services every privacy request waits for besides customers (CUSTOMERS_PRIVACY_PARTICIPANTS), and
 * how long they have. Checked at start-up: a participant whose answers nobody listens to would leave
 * every erasure pending for ever.
 */
@Injectable()
export class ErasureParticipants {
  readonly services: readonly string[];
  readonly overdueAfterMs: number;

  constructor(config: CustomersEnv) {
    this.services = parseParticipants(config.CUSTOMERS_PRIVACY_PARTICIPANTS, answeringServices());
    this.overdueAfterMs = config.CUSTOMERS_PRIVACY_OVERDUE_AFTER_HOURS * 3_600_000;
  }

  /** Every service a new request waits for, customers first. */
  all(): string[] {
    return [OWN_SERVICE, ...this.services];
  }
}

export function parseParticipants(value: string, answering: ReadonlySet<string>): string[] {
  const services = [...new Set(value.split(',').map((name) => name.trim()).filter((name) => name !== ''))];
  if (services.includes(OWN_SERVICE)) throw new Error(`CUSTOMERS_PRIVACY_PARTICIPANTS: ${OWN_SERVICE} answers its own erasures; list the other services only`);
  const unheard = services.filter((service) => !answering.has(service));
  if (unheard.length > 0) {
    throw new Error(
      `CUSTOMERS_PRIVACY_PARTICIPANTS names ${unheard.join(', ')}, but no ErasureCompleted contract of ${unheard.length > 1 ? 'them' : 'it'} is in ERASURE_ANSWER_CONTRACTS: their answers would never be heard`,
    );
  }
  return services;
}
