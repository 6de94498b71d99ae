import { Injectable } from '@nestjs/common';
import { isUuid, mapPage, type Page } from '@crm/platform/api';
import { ownershipScope } from '@crm/platform/auth';
import { TenantTransactions } from '@crm/platform/database';
import { ValidationFailedError } from '@crm/platform/errors';
import { CustomerNotFoundError } from '../customers/customer.errors';
import { CustomersRepository } from '../customers/customers.repository';
import type { ListTimelineQueryDto, TimelineEntryDto } from './dto/timeline.dto';
import { toTimelineEntryDto } from './timeline.mapper';
import { TimelineRepository } from './timeline.repository';
import { expandTimelineType } from './timeline-types';

@Injectable()
export class TimelineService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly customers: CustomersRepository,
    private readonly timeline: TimelineRepository,
  ) {}

  /** The timeline of a customer the caller may see (404 otherwise, as GET /customers/{id}), newest first. */
  async list(customerId: string, query: ListTimelineQueryDto): Promise<Page<TimelineEntryDto>> {
    const scope = ownershipScope();
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && from >= to) throw new ValidationFailedError([{ field: 'to', message: 'to must be later than from' }]);
    const types = query.type ? [...new Set(query.type.flatMap((value) => expandTimelineType(value) ?? []))] : undefined;
    return this.transactions.run(async (manager) => {
      const customer = isUuid(customerId) ? await this.customers.findInScope(manager, customerId, scope) : null;
      if (!customer) throw new CustomerNotFoundError(customerId);
      const page = await this.timeline.page(manager, customer.id, { types, from, to }, query);
      return mapPage(page, toTimelineEntryDto);
    });
  }
}
