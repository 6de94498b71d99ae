import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { etagOf } from '@crm/platform/api';
import { RequirePermissions } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { CustomerProfileDto } from './dto/profile.dto';
import { ProfileService } from './profile.service';

/** The 360° profile: who the customer is and what is going on, from this service's own tables only. */
@ApiTags('customers')
@Controller('customers/:id/profile')
export class ProfileController {
  constructor(private readonly profiles: ProfileService) {}

  @Get()
  @RequirePermissions('customers:read')
  @ApiOperation({ summary: 'A customer in your scope with its summary: revenue, orders, opportunities, tickets, last contact, CSAT, scores' })
  @ApiOkResponse({ type: CustomerProfileDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  async get(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<CustomerProfileDto> {
    const profile = await this.profiles.get(id);
    // The record's version, so a client can PATCH what it shows with If-Match.
    res.setHeader('etag', etagOf(profile.customer.version));
    return profile;
  }
}
