import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPreconditionFailedResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { RequirePermissions } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { CustomersBatchService } from './customers-batch.service';
import { CustomersService } from './customers.service';
import { BatchResultDto, CustomerDto, CustomerPageDto, PiiAccessPageDto, type PiiAccessDto } from './dto/customer.dto';
import { BatchUpsertCustomersDto, CreateCustomerDto, GetCustomerQueryDto, ListCustomersQueryDto, TagChangesDto, UpdateCustomerDto } from './dto/customer-input.dto';
import { etagOf, expectedVersion, type Page, PageQueryDto } from '@crm/platform/api';

const IF_MATCH = { name: 'If-Match', required: false, description: 'The ETag (version) you read; 412 if the customer changed since' };

/**
 * Customers in the caller's scope: a rep their own, a manager their teams', an admin the tenant's. Others
 * are not found (404), as are other tenants' and deleted ones.
 */
@ApiTags('customers')
@Controller('customers')
export class CustomersController {
  constructor(
    private readonly customers: CustomersService,
    private readonly batch: CustomersBatchService,
  ) {}

  @Get()
  @RequirePermissions('customers:read')
  @ApiOperation({ summary: 'Customers in your scope, newest first; filters and search by name, phone or e-mail' })
  @ApiOkResponse({ type: CustomerPageDto })
  list(@Query() query: ListCustomersQueryDto): Promise<Page<CustomerDto>> {
    return this.customers.list(query);
  }

  @Post()
  @RequirePermissions('customers:write')
  @ApiOperation({ summary: 'Create a customer; values are standardised (E.164 phones, lower-case e-mails, half-width names)' })
  @ApiCreatedResponse({ type: CustomerDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'errors[] names each invalid field (field, code, message)' })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'externalId is taken' })
  async create(@Body() body: CreateCustomerDto, @Res({ passthrough: true }) res: Response): Promise<CustomerDto> {
    const customer = await this.customers.create(body);
    res.setHeader('etag', etagOf(customer.version));
    return customer;
  }

  @Post('batch')
  @HttpCode(200)
  @RequirePermissions('customers:write')
  @ApiOperation({ summary: 'Create or update up to 1,000 customers by externalId; one result per item' })
  @ApiOkResponse({ type: BatchResultDto })
  upsert(@Body() body: BatchUpsertCustomersDto): Promise<BatchResultDto> {
    return this.batch.upsert(body.items);
  }

  @Get(':id')
  @RequirePermissions('customers:read')
  @ApiOperation({ summary: 'A customer in your scope; ?reveal=pii shows national ID and bank account (pii:read, recorded)' })
  @ApiOkResponse({ type: CustomerDto })
  @ApiForbiddenResponse({ type: ProblemDetailsDto, description: 'reveal=pii without pii:read' })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  async get(@Param('id') id: string, @Query() query: GetCustomerQueryDto, @Res({ passthrough: true }) res: Response): Promise<CustomerDto> {
    const customer = await this.customers.get(id, query.reveal === 'pii');
    res.setHeader('etag', etagOf(customer.version));
    // Unmasked personal data must not linger in shared caches.
    if (customer.piiRevealed) res.setHeader('cache-control', 'no-store');
    return customer;
  }

  @Patch(':id')
  @RequirePermissions('customers:write')
  @ApiOperation({ summary: 'Change a customer; absent fields are kept, null clears an optional one; a new ownerId emits CustomerOwnerChanged' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: CustomerDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  @ApiPreconditionFailedResponse({ type: ProblemDetailsDto })
  async update(
    @Param('id') id: string,
    @Body() body: UpdateCustomerDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CustomerDto> {
    const customer = await this.customers.update(id, body, expectedVersion(ifMatch, body.version));
    res.setHeader('etag', etagOf(customer.version));
    return customer;
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions('customers:delete')
  @ApiOperation({ summary: 'Delete a customer (kept for references and audit, never listed again)' })
  @ApiHeader(IF_MATCH)
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  @ApiPreconditionFailedResponse({ type: ProblemDetailsDto })
  async remove(@Param('id') id: string, @Headers('if-match') ifMatch: string | undefined): Promise<void> {
    await this.customers.remove(id, expectedVersion(ifMatch, undefined));
  }

  @Post(':id/tags')
  @HttpCode(200)
  @RequirePermissions('customers:write')
  @ApiOperation({ summary: 'Add and remove tags (case-insensitive); emits CustomerTagged when they change' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: CustomerDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  async tag(
    @Param('id') id: string,
    @Body() body: TagChangesDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CustomerDto> {
    const customer = await this.customers.tag(id, body, expectedVersion(ifMatch, undefined));
    res.setHeader('etag', etagOf(customer.version));
    return customer;
  }

  @Get(':id/pii-access-log')
  @RequirePermissions('customers:read', 'audit:read')
  @ApiOperation({ summary: "Who saw this customer's unmasked national ID or bank account, newest first" })
  @ApiOkResponse({ type: PiiAccessPageDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  piiAccessLog(@Param('id') id: string, @Query() query: PageQueryDto): Promise<Page<PiiAccessDto>> {
    return this.customers.piiAccessLog(id, query);
  }
}
