import { ConflictError, NotFoundError, UnprocessableError } from '@crm/platform/errors';

export class OrderNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`Order ${id} does not exist`, { code: 'order_not_found' });
  }
}

export class CustomerNotLiveError extends UnprocessableError {
  constructor(customerId: string) {
    super(`Customer ${customerId} does not exist or is no longer active (deleted, merged or erased)`, { code: 'customer_not_found' });
  }
}

export class OrderAmountsInvalidError extends UnprocessableError {
  constructor(detail: string) {
    super(detail, { code: 'order_amounts_invalid' });
  }
}

export class OrderLineInvalidError extends UnprocessableError {
  constructor(detail: string) {
    super(detail, { code: 'order_line_invalid' });
  }
}

export class OwnerNotActiveError extends UnprocessableError {
  constructor(ownerId: string) {
    super(`User ${ownerId} is not an active user of the tenant`, { code: 'owner_not_active' });
  }
}

export class OrderTransitionError extends ConflictError {
  constructor(orderNumber: string, from: string, to: string) {
    super(`Order ${orderNumber} is ${from}; it cannot become ${to}`, { code: 'order_status_transition' });
  }
}

export class ExternalOrderChangedError extends ConflictError {
  constructor(externalId: string, orderNumber: string) {
    super(`Order ${orderNumber} with externalId ${externalId} exists with different content (customer, currency, lines, discount, coupons, channel, opportunity or partner); orders are not edited after they are placed`, {
      code: 'external_order_conflict',
    });
  }
}
