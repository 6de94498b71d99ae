import { Inject, Injectable } from '@nestjs/common';
import { isUuid } from '@crm/platform/api';
import { principal } from '@crm/platform/auth';
import { TenantTransactions } from '@crm/platform/database';
import { CustomerNotFoundError } from '../customers/customer.errors';
import { OWN_SERVICE } from './erasure-participants';
import { exportPersonalData, PERSONAL_DATA_HOLDERS, type PersonalDataHolder, type ServiceExport } from '@crm/platform/privacy';
import { PrivacyRequestsRepository } from './privacy-requests.repository';

/**
 * The customers service's part of a privacy export: what every personal data holder has of the
 * customer, in clear, read in one transaction (the unmasked reads are recorded in it too).
 */
@Injectable()
export class CustomerExport {
  constructor(
    @Inject(PERSONAL_DATA_HOLDERS) private readonly holders: readonly PersonalDataHolder[],
    private readonly transactions: TenantTransactions,
    private readonly requests: PrivacyRequestsRepository,
  ) {}

  async collect(customerId: string): Promise<ServiceExport> {
    const { tenantId } = principal();
    return this.transactions.run(async (manager) => {
      if (!isUuid(customerId) || !(await this.requests.findCustomer(manager, customerId))) throw new CustomerNotFoundError(customerId);
      return { service: OWN_SERVICE, sections: await exportPersonalData(this.holders, manager, tenantId, customerId) };
    });
  }
}
