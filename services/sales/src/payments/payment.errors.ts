import { ConflictError, NotFoundError, UnprocessableError } from '@crm/platform/errors';

export class InstalmentNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`Instalment ${id} is not in this contract's payment schedule`, { code: 'instalment_not_found' });
  }
}

export class ScheduleHasReceiptsError extends ConflictError {
  constructor(contractNumber: string) {
    super(`Money was received on contract ${contractNumber}; its payment schedule can no longer be replaced`, { code: 'schedule_has_receipts' });
  }
}

export class ScheduleLockedError extends ConflictError {
  constructor(contractNumber: string, status: string) {
    super(`Contract ${contractNumber} is ${status}; its payment schedule can no longer be replaced`, { code: 'schedule_locked' });
  }
}

export class NotCollectibleError extends UnprocessableError {
  constructor(contractNumber: string, status: string) {
    super(`Contract ${contractNumber} is ${status}; money is recorded against signed, active or expired contracts`, { code: 'contract_not_collectible' });
  }
}

export class NoScheduleError extends UnprocessableError {
  constructor(contractNumber: string) {
    super(`Contract ${contractNumber} has no payment schedule; set one first (PUT /contracts/{id}/schedule)`, { code: 'no_payment_schedule' });
  }
}

export class OverpaymentError extends UnprocessableError {
  constructor(openMicros: bigint, currency: string) {
    super(`The receipt is more than is open (${openMicros} micros ${currency}); over-payments are not recorded as credit`, { code: 'overpayment' });
  }
}

export class InvoiceTransitionError extends ConflictError {
  constructor(from: string, to: string) {
    super(`The instalment's invoice is ${from}; it cannot go back to ${to}`, { code: 'invoice_status_transition' });
  }
}

export class InvoiceNumberRequiredError extends UnprocessableError {
  constructor() {
    super('invoiceNumber is required once the invoice is issued', { code: 'invoice_number_required' });
  }
}
