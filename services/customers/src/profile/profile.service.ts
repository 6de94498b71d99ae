import { Injectable } from '@nestjs/common';
import { isUuid } from '@crm/platform/api';
import { ownershipScope } from '@crm/platform/auth';
import { TenantTransactions } from '@crm/platform/database';
import { CustomerNotFoundError } from '../customers/customer.errors';
import { toCustomerDto } from '../customers/customer.mapper';
import type { CustomerProfileDto } from './dto/profile.dto';
import { toProfileSummaryDto } from './profile.mapper';
import { ProfileRepository } from './profile.repository';

@Injectable()
export class ProfileService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly profiles: ProfileRepository,
  ) {}

  /**
   * The 360° profile of a customer the caller may see (404 otherwise, as GET /customers/{id}): the
   * record, national ID and bank account masked, and the summary kept from other services' events.
   * One local query: it answers whether or not those services are up.
   */
  async get(id: string): Promise<CustomerProfileDto> {
    const scope = ownershipScope();
    return this.transactions.run(async (manager) => {
      const found = isUuid(id) ? await this.profiles.findInScope(manager, id, scope) : null;
      if (!found) throw new CustomerNotFoundError(id);
      return { customer: toCustomerDto(found), summary: toProfileSummaryDto(found.profile) };
    });
  }
}
