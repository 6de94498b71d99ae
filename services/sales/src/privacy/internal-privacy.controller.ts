import { Controller, Get, Header, Inject, Param } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { isUuid } from '@crm/platform/api';
import { principal, RequirePermissions } from '@crm/platform/auth';
import { TenantTransactions } from '@crm/platform/database';
import { NotFoundError } from '@crm/platform/errors';
import { exportPersonalData, PERSONAL_DATA_HOLDERS, type PersonalDataHolder, type ServiceExport } from '@crm/platform/privacy';
import { OWN_SERVICE } from './erasure-requests.consumer';

/**
 * Sales' part of a privacy export, which the gateway gathers into the archive with the caller's
 * identity it vouches for (the gateway never routes /api/v1/internal from clients). A customer sales
 * holds nothing of answers with no sections. Not in the public API document.
 */
@ApiExcludeController()
@Controller('internal/privacy')
@RequirePermissions('privacy:manage')
export class InternalPrivacyController {
  constructor(
    @Inject(PERSONAL_DATA_HOLDERS) private readonly holders: readonly PersonalDataHolder[],
    private readonly transactions: TenantTransactions,
  ) {}

  @Get('customers/:customerId/export')
  @Header('cache-control', 'no-store')
  export(@Param('customerId') customerId: string): Promise<ServiceExport> {
    if (!isUuid(customerId)) throw new NotFoundError(`There is no customer ${customerId}`);
    const { tenantId } = principal();
    return this.transactions.run(async (manager) => ({ service: OWN_SERVICE, sections: await exportPersonalData(this.holders, manager, tenantId, customerId.toLowerCase()) }));
  }
}
