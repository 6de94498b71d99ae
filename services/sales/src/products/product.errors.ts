import { ConflictError, NotFoundError } from '@crm/platform/errors';

export class ProductNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`Product ${id} does not exist`, { code: 'product_not_found' });
  }
}

export class ProductSkuTakenError extends ConflictError {
  constructor(sku: string) {
    super(`Another product has SKU ${sku}`, { code: 'product_sku_taken' });
  }
}
