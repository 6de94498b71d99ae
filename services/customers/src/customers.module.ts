import { Module } from '@nestjs/common';
import { LeadConvertedConsumer } from './lead-conversion/lead-converted.consumer';
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
import { CustomerErasure } from './privacy/customer-erasure';
import { CustomerExport } from './privacy/customer-export';
import { ErasureAnswersConsumer } from './privacy/erasure-answers.consumer';
import { ErasureParticipants } from './privacy/erasure-participants';
import { CustomerRecordHolder } from './privacy/holders/customer-record.holder';
import { DuplicatePairsHolder } from './privacy/holders/duplicate-pairs.holder';
import { EventCopiesHolder } from './privacy/holders/event-copies.holder';
import { PiiAccessHolder } from './privacy/holders/pii-access.holder';
import { PrivacyRequestsHolder } from './privacy/holders/privacy-requests.holder';
import { InternalPrivacyController } from './privacy/internal-privacy.controller';
import { personalDataHolders } from '@crm/platform/privacy';
import { PrivacyRequestsController } from './privacy/privacy-requests.controller';
import { PrivacyRequestsRepository } from './privacy/privacy-requests.repository';
import { PrivacyRequestsService } from './privacy/privacy-requests.service';
import { DataMinimisation } from './settings/data-minimisation';
import { PrivacySettingsController } from './settings/privacy-settings.controller';
import { PrivacySettingsRepository } from './settings/privacy-settings.repository';
import { PrivacySettingsService } from './settings/privacy-settings.service';
import { HandoverEventsConsumer } from './handover/handover-events.consumer';
import { HandoverRepository } from './handover/handover.repository';
import { OwnerReassignment } from './handover/owner-reassignment';
import { MergeRecordsHolder } from './merges/merge-records.holder';
import { MergeSecrets } from './merges/merge-secrets';
import { MergeUndoService } from './merges/merge-undo.service';
import { MergesController } from './merges/merges.controller';
import { MergesRepository } from './merges/merges.repository';
import { MergesService } from './merges/merges.service';
import { AnalyticsEventsConsumer } from './profile/analytics-events.consumer';
import { CustomerChangeFollower } from './profile/customer-change-follower';
import { MarketingEventsConsumer } from './profile/marketing-events.consumer';
import { ProfileController } from './profile/profile.controller';
import { ProfileDataHolder } from './profile/profile-data.holder';
import { ProfileRecorder } from './profile/profile-recorder';
import { ProfileRepository } from './profile/profile.repository';
import { ProfileService } from './profile/profile.service';
import { SalesEventsConsumer } from './profile/sales-events.consumer';
import { SurvivorResolver } from './profile/survivor-resolver';
import { TicketingEventsConsumer } from './profile/ticketing-events.consumer';
import { TimelineController } from './timeline/timeline.controller';
import { TimelineRepository } from './timeline/timeline.repository';
import { TimelineService } from './timeline/timeline.service';
import { LifecycleRepository } from './lifecycle/lifecycle.repository';
import { LifecycleService } from './lifecycle/lifecycle.service';
import { LifecycleSweeper } from './lifecycle/lifecycle-sweeper';
import { ChunkApplier } from './imports/chunk-applier';
import { GroupApplier } from './imports/group-applier';
import { ImportRowsHolder } from './imports/import-personal-data.holder';
import { ImportWorker } from './imports/import-worker';
import { ImportsController } from './imports/imports.controller';
import { ImportsRepository } from './imports/imports.repository';
import { ImportsService } from './imports/imports.service';

/**
 * The customers service: customer records, custom fields, personal data protection and the users read
 * model the ownership scope needs.
 */
@Module({
  // Every controller with static paths under /customers (duplicates, merges, settings, imports, …) comes
  // before CustomersController, so that they are not taken for `/customers/:id`.
  controllers: [DuplicatesController, MergesController, PrivacySettingsController, PrivacyRequestsController, InternalPrivacyController, ProfileController, TimelineController, ImportsController, CustomersController, CustomFieldsController],
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
    // Privacy. Every part that stores personal data of customers lists its PersonalDataHolder here, so
    // exports include it and erasures erase it (in this order).
    // ImportRowsHolder first: it finds rejected import rows by the customer's phones and e-mails, which the record's erasure clears.
    ...personalDataHolders(ImportRowsHolder, CustomerRecordHolder, MergeRecordsHolder, PiiAccessHolder, DuplicatePairsHolder, PrivacyRequestsHolder, ProfileDataHolder, EventCopiesHolder),
    PrivacyRequestsRepository,
    PrivacyRequestsService,
    ErasureParticipants,
    CustomerErasure,
    CustomerExport,
    ErasureAnswersConsumer,
    // Data minimisation settings, checked by CustomerWriter
    PrivacySettingsRepository,
    PrivacySettingsService,
    DataMinimisation,
    // Merges (their PersonalDataHolder is listed with the others above) and handover of a leaving user's customers
    MergesRepository,
    MergesService,
    MergeUndoService,
    MergeSecrets,
    HandoverRepository,
    OwnerReassignment,
    HandoverEventsConsumer,
    // Customers of converted leads (sales.lead.v1 LeadConverted), created with the id sales chose
    LeadConvertedConsumer,
    // 360° profile and timeline, kept from other services' events and the customer's own changes (its
    // PersonalDataHolder is listed with the others above), and the lifecycle stage they imply
    ProfileRepository,
    ProfileService,
    ProfileRecorder,
    SurvivorResolver,
    CustomerChangeFollower,
    SalesEventsConsumer,
    TicketingEventsConsumer,
    MarketingEventsConsumer,
    AnalyticsEventsConsumer,
    TimelineRepository,
    TimelineService,
    LifecycleRepository,
    LifecycleService,
    LifecycleSweeper,
    // Imports of customers from CSV files (their PersonalDataHolder is listed with the others above)
    ImportsRepository,
    ImportsService,
    ImportWorker,
    ChunkApplier,
    GroupApplier,
  ],
})
export class CustomersModule {}
