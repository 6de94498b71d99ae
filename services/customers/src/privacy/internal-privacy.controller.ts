import { Body, Controller, Get, Header, HttpCode, Param, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { RequirePermissions } from '@crm/platform/auth';
import { CustomerExport } from './customer-export';
import type { ServiceExport } from '@crm/platform/privacy';
import { ArchiveDeliveryDto, type PrivacyRequestDto } from './dto/privacy-request.dto';
import { PrivacyRequestsService } from './privacy-requests.service';

/**
 * The gateway's side of privacy exports, with the caller's identity it vouches for. The gateway never
 * routes /api/v1/internal from clients, and without its credential the service refuses the call.
 * Every service holding customer data answers the same export route; not in the public API document.
 */
@ApiExcludeController()
@Controller('internal/privacy')
@RequirePermissions('privacy:manage')
export class InternalPrivacyController {
  constructor(
    private readonly exports: CustomerExport,
    private readonly requests: PrivacyRequestsService,
  ) {}

  /** `{service, sections}`: what this service holds of the customer, personal data in clear. */
  @Get('customers/:customerId/export')
  @Header('cache-control', 'no-store')
  export(@Param('customerId') customerId: string): Promise<ServiceExport> {
    return this.exports.collect(customerId);
  }

  /** The gateway delivered the archive of an export request. */
  @Post('requests/:id/delivery')
  @HttpCode(200)
  recordDelivery(@Param('id') id: string, @Body() body: ArchiveDeliveryDto): Promise<PrivacyRequestDto> {
    return this.requests.recordDelivery(id, body);
  }
}
