import type { FactoryProvider } from '@nestjs/common';
import { CustomersEnv } from '../config/customers.env';
import { PiiCipher } from './pii-cipher';
import { parsePiiKey } from './pii-key';

/** The cipher keyed from CUSTOMERS_PII_KEY (and the previous key during a rotation); both were validated at start-up. */
export const PII_CIPHER_PROVIDER: FactoryProvider<PiiCipher> = {
  provide: PiiCipher,
  inject: [CustomersEnv],
  useFactory: (config: CustomersEnv) => {
    const current = parsePiiKey(config.CUSTOMERS_PII_KEY);
    if (!current) throw new Error('CUSTOMERS_PII_KEY is not a valid key');
    const previous = config.CUSTOMERS_PII_KEY_PREVIOUS ? parsePiiKey(config.CUSTOMERS_PII_KEY_PREVIOUS) : undefined;
    return new PiiCipher(current, previous ? [previous] : []);
  },
};
