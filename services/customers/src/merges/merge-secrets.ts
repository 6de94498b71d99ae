import { Injectable } from '@nestjs/common';
import type { CustomerEntity } from '../customers/customer.entity';
import type { ResolvedWrite } from '../customers/customer-writer';
import { PiiCipher, type PiiBinding } from '../pii/pii-cipher';

type SecretField = PiiBinding['field'];

/**
 * National ID and bank account numbers a survivor takes over from a merged customer. They stay
 * encrypted in the database; a ciphertext authenticates its tenant, customer and field, so it can be
 * copied only where that binding is the same, and is otherwise decrypted and encrypted again for the
 * survivor (in memory, never written in clear).
 */
@Injectable()
export class MergeSecrets {
  constructor(private readonly cipher: PiiCipher) {}

  /** The survivor's value of `field` when it is to be `from`'s: unchanged (undefined), none (null) or re-bound. */
  forSurvivor(survivor: CustomerEntity, from: CustomerEntity | null, field: SecretField): ResolvedWrite[SecretField] {
    if (from === survivor) return undefined;
    const encrypted = from ? (field === 'nationalId' ? from.nationalIdEncrypted : from.bankAccountEncrypted) : null;
    const masked = from ? (field === 'nationalId' ? from.nationalIdMasked : from.bankAccountMasked) : null;
    if (!from || !encrypted || !masked) return null;
    return { encrypted: this.rebind(encrypted, bindingOf(from, field), bindingOf(survivor, field)), masked };
  }

  private rebind(ciphertext: Buffer, from: PiiBinding, to: PiiBinding): Buffer {
    if (from.tenantId === to.tenantId && from.customerId === to.customerId && from.field === to.field) return ciphertext;
    return this.cipher.encrypt(this.cipher.decrypt(ciphertext, from), to);
  }
}

function bindingOf(customer: CustomerEntity, field: SecretField): PiiBinding {
  return { tenantId: customer.tenantId, customerId: customer.id, field };
}
