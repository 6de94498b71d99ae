import { Module } from '@nestjs/common';
import { CustomFieldsController } from './custom-fields/custom-fields.controller';
import { CustomFieldsRepository } from './custom-fields/custom-fields.repository';
import { CustomFieldsService } from './custom-fields/custom-fields.service';
import { CustomerEvents } from './customers/customer-events';
import { CustomerSearchIndex } from './customers/customer-search-index';
import { CustomerWriter } from './customers/customer-writer';
import { CustomersBatchService } from './customers/customers-batch.service';
import { CustomersController } from './customers/customers.controller';
import { CustomersRepository } from './customers/customers.repository';
import { CustomersService } from './customers/customers.service';
import { PiiAccessLog } from './pii/pii-access-log';
import { PII_CIPHER_PROVIDER } from './pii/pii-cipher.provider';
import { UserEventsConsumer } from './users/user-events.consumer';
import { UsersRepository } from './users/users.repository';
import { DuplicateDetector } from './duplicates/duplicate-detector';
import { DuplicateScanner } from './duplicates/duplicate-scanner';
import { DuplicatesController } from './duplicates/duplicates.controller';
import { DuplicatesRepository } from './duplicates/duplicates.repository';
import { DuplicatesService } from './duplicates/duplicates.service';

/**
 * The customers service: customer records, custom fields, personal data protection and the users read
 * model the ownership scope needs.
 */
@Module({
  // Duplicates first: `/customers/duplicates` must not be taken for `/customers/:id`.
  controllers: [DuplicatesController, CustomersController, CustomFieldsController],
  providers: [
    // Customers
    CustomersRepository,
    CustomersService,
    CustomersBatchService,
    CustomerWriter,
    CustomerEvents,
    CustomerSearchIndex,
    // Duplicates
    DuplicateDetector,
    DuplicatesRepository,
    DuplicatesService,
    DuplicateScanner,
    // Custom fields
    CustomFieldsRepository,
    CustomFieldsService,
    // Personal data
    PII_CIPHER_PROVIDER,
    PiiAccessLog,
    // Read model of identity's users
    UsersRepository,
    UserEventsConsumer,
  ],
})
export class CustomersModule {}
