import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { etagOf, expectedVersion } from '@crm/platform/api';
import { RequirePermissions } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { ContractDto, InstalmentDto } from '../contracts/dto/contract.dto';
import { CreateReceiptDto, InvoiceStatusDto, PutScheduleDto, ReceiptDto, ReceiptListDto } from './dto/payment.dto';
import { PaymentsService } from './payments.service';

/** Payment schedule, receipts and invoices of a contract in the caller's scope. */
@ApiTags('contracts')
@Controller('contracts')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Put(':id/schedule')
  @RequirePermissions('sales:write')
  @ApiOperation({ summary: 'Set the payment schedule (instalments must add up to the contract amount); refused once money was received' })
  @ApiHeader({ name: 'If-Match', required: false, description: "The contract's ETag" })
  @ApiOkResponse({ type: ContractDto })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'Money already received, or the contract ended' })
  @ApiUnprocessableEntityResponse({ type: ProblemDetailsDto, description: 'The instalments do not add up to the contract amount (schedule_sum_mismatch)' })
  async putSchedule(@Param('id') id: string, @Body() body: PutScheduleDto, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response): Promise<ContractDto> {
    const contract = await this.payments.putSchedule(id, body, expectedVersion(ifMatch, body.version));
    res.setHeader('etag', etagOf(contract.version));
    return contract;
  }

  @Post(':id/receipts')
  @RequirePermissions('sales:write')
  @ApiOperation({ summary: 'Record money received: to the named instalment, else the oldest open ones first; more than is open is refused (422). Emits PaymentReceived' })
  @ApiCreatedResponse({ type: ReceiptDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  @ApiUnprocessableEntityResponse({ type: ProblemDetailsDto, description: 'overpayment, no_payment_schedule, contract_not_collectible' })
  recordReceipt(@Param('id') id: string, @Body() body: CreateReceiptDto): Promise<ReceiptDto> {
    return this.payments.recordReceipt(id, body);
  }

  @Get(':id/receipts')
  @RequirePermissions('sales:read')
  @ApiOperation({ summary: 'Receipts of the contract, oldest first, with how each was applied' })
  @ApiOkResponse({ type: ReceiptListDto })
  receipts(@Param('id') id: string): Promise<ReceiptListDto> {
    return this.payments.receipts(id);
  }

  @Post(':id/instalments/:instalmentId/invoice')
  @HttpCode(200)
  @RequirePermissions('sales:write')
  @ApiOperation({ summary: "Move an instalment's invoice forward: requested → issued → sent (invoiceNumber from issued on); emits InvoiceStatusChanged" })
  @ApiOkResponse({ type: InstalmentDto })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'Backwards' })
  setInvoice(@Param('id') id: string, @Param('instalmentId') instalmentId: string, @Body() body: InvoiceStatusDto): Promise<InstalmentDto> {
    return this.payments.setInvoiceStatus(id, instalmentId, body);
  }
}
