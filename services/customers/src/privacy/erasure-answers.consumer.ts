import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { isUuid } from '@crm/platform/api';
import { withTenant } from '@crm/platform/database';
import { OnEvent, PoisonMessageError, type EventContractRef, type ReceivedEvent } from '@crm/platform/messaging';
import { ERASURE_ANSWER_CONTRACTS, serviceOf } from './erasure-answers';
import { PrivacyRequestsRepository } from './privacy-requests.repository';

/** The fields every service's ErasureCompleted carries (customers.privacy.v1 defines them). */
export interface ErasureAnswer {
  tenantId: string;
  requestId: string;
  customerId: string;
  service: string;
  recordsAffected: number;
  completedAt: Date;
}

/**
 * Collects the participants' ErasureCompleted answers into their requests: the service's row is
 * completed, and the request too once nobody is pending. Answers are redelivered at will (the first
 * one counts); an answer to a request this database does not know (restored from a backup, say) is
 * logged and dropped; a malformed one, or one speaking for another service than its topic's, is poison.
 */
@Injectable()
export class ErasureAnswersConsumer {
  private readonly logger = new Logger(ErasureAnswersConsumer.name);

  constructor(private readonly requests: PrivacyRequestsRepository) {}

  async record(contract: EventContractRef, event: ReceivedEvent<unknown>, manager: EntityManager): Promise<void> {
    const answer = toErasureAnswer(event, serviceOf(contract));
    // The transaction is the consumer's: set the tenant for row-level security before touching rows.
    await withTenant(manager, answer.tenantId);
    const request = await this.requests.findById(manager, answer.requestId, { lock: true });
    if (!request) {
      this.logger.warn(`${answer.service} answered privacy request ${answer.requestId}, which does not exist here; ignored`);
      return;
    }
    if (request.type !== 'erasure') throw new PoisonMessageError(`${answer.service} answered privacy request ${request.id}, which is not an erasure`);
    if (request.customerId !== answer.customerId) {
      throw new PoisonMessageError(`${answer.service} answered privacy request ${request.id} for customer ${answer.customerId}, but the request is about ${request.customerId}`);
    }
    await this.requests.recordOutcome(manager, request.id, { service: answer.service, status: 'completed', recordsAffected: answer.recordsAffected, detail: null, at: answer.completedAt });
    await this.requests.completeIfAnswered(manager, request.id, new Date());
  }
}

/** Handler methods defined so far, and the services they hear. */
const listening = new Set<string>();
const answering = new Set<string>();

/**
 * Subscribes the consumer to one more service's ErasureCompleted. The messaging module discovers
 * handlers as `@OnEvent` methods of providers when the service starts, so each contract gets a method
 * of its own, named after its type. Call before the service starts.
 */
export function listenForErasureAnswers(contract: EventContractRef): void {
  const name = `on:${contract.type}`;
  if (listening.has(name)) return;
  listening.add(name);
  const handler = function (this: ErasureAnswersConsumer, event: ReceivedEvent<unknown>, manager: EntityManager): Promise<void> {
    return this.record(contract, event, manager);
  };
  const descriptor: PropertyDescriptor = { value: handler, writable: true, configurable: true, enumerable: false };
  Object.defineProperty(ErasureAnswersConsumer.prototype, name, descriptor);
  OnEvent(contract)(ErasureAnswersConsumer.prototype, name, descriptor);
  answering.add(serviceOf(contract));
}

/** The services whose answers the consumer listens for. */
export function answeringServices(): ReadonlySet<string> {
  return answering;
}

for (const contract of ERASURE_ANSWER_CONTRACTS) listenForErasureAnswers(contract);

export function toErasureAnswer(event: ReceivedEvent<unknown>, service: string): ErasureAnswer {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const poison = (why: string) => new PoisonMessageError(`ErasureCompleted on ${event.topic}: ${why}`);
  if (data.tenantId !== event.tenantId) throw poison(`payload tenant ${String(data.tenantId)} arrived as tenant ${event.tenantId}`);
  if (typeof data.requestId !== 'string' || !isUuid(data.requestId)) throw poison('requestId is not a uuid');
  if (typeof data.customerId !== 'string' || !isUuid(data.customerId)) throw poison('customerId is not a uuid');
  if (data.service !== service) throw poison(`a service answers for itself: ${service}'s topic carried an answer of ${String(data.service)}`);
  const recordsAffected = typeof data.recordsAffected === 'bigint' || typeof data.recordsAffected === 'number' ? Number(data.recordsAffected) : NaN;
  if (!Number.isSafeInteger(recordsAffected) || recordsAffected < 0) throw poison('recordsAffected is not a count');
  const completedAt = new Date(typeof data.completedAt === 'string' && data.completedAt !== '' ? data.completedAt : event.time);
  if (Number.isNaN(completedAt.getTime())) throw poison('completedAt is not a time');
  return { tenantId: data.tenantId, requestId: data.requestId, customerId: data.customerId, service, recordsAffected, completedAt };
}
