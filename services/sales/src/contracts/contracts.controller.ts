import { Body, Controller, Get, Headers, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiPreconditionFailedResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { etagOf, expectedVersion, type Page } from '@crm/platform/api';
import { RequirePermissions } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { ContractsService } from './contracts.service';
import { ContractDto, ContractPageDto, CreateContractDto, ListContractsQueryDto, UpdateContractDto } from './dto/contract.dto';

/** Contracts in the caller's ownership scope (rep: own, manager: team, admin: all); others are 404. */
@ApiTags('contracts')
@Controller('contracts')
export class ContractsController {
  constructor(private readonly contracts: ContractsService) {}

  @Get()
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: 'Contracts in your scope, newest first, with their payment schedules' })
  @ApiOkResponse({ type: ContractPageDto })
  list(@Query() query: ListContractsQueryDto): Promise<Page<ContractDto>> {
    return this.contracts.list(query);
  }

  @Post()
  @RequirePermissions('sales:write')
  @ApiOperation({ summary: 'Draft a contract (numbered HT-<year>-<n>)' })
  @ApiCreatedResponse({ type: ContractDto })
  @ApiUnprocessableEntityResponse({ type: ProblemDetailsDto, description: 'Customer not live, inactive owner, end before start' })
  async create(@Body() body: CreateContractDto, @Res({ passthrough: true }) res: Response): Promise<ContractDto> {
    const contract = await this.contracts.create(body);
    res.setHeader('etag', etagOf(contract.version));
    return contract;
  }

  @Get(':id')
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: 'A contract with its payment schedule' })
  @ApiOkResponse({ type: ContractDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  async get(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<ContractDto> {
    const contract = await this.contracts.get(id);
    res.setHeader('etag', etagOf(contract.version));
    return contract;
  }

  @Patch(':id')
  @RequirePermissions('sales:write')
  @ApiOperation({ summary: 'Change a contract; `status` moves it (draft → signed emits ContractSigned; → active; → expired/terminated)' })
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiOkResponse({ type: ContractDto })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'Status move not allowed' })
  @ApiUnprocessableEntityResponse({ type: ProblemDetailsDto, description: 'Amount/currency of a signed contract, amount not matching the schedule' })
  @ApiPreconditionFailedResponse({ type: ProblemDetailsDto })
  async update(@Param('id') id: string, @Body() body: UpdateContractDto, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response): Promise<ContractDto> {
    const contract = await this.contracts.update(id, body, expectedVersion(ifMatch, body.version));
    res.setHeader('etag', etagOf(contract.version));
    return contract;
  }
}
