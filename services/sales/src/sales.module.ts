import { Module } from '@nestjs/common';
import { AssignmentRulesController } from './lead-assignment/assignment-rules.controller';
import { AssignmentRulesService } from './lead-assignment/assignment-rules.service';
import { LeadAssigner } from './lead-assignment/lead-assigner';
import { LeadFormsController } from './lead-forms/lead-forms.controller';
import { LeadFormsRepository } from './lead-forms/lead-forms.repository';
import { LeadFormsService } from './lead-forms/lead-forms.service';
import { PublicFormsController } from './lead-forms/public-forms.controller';
import { LeadRescoringJob } from './lead-scoring/lead-rescoring.job';
import { LeadScorer } from './lead-scoring/lead-scorer';
import { ScoringRulesController } from './lead-scoring/scoring-rules.controller';
import { ScoringRulesService } from './lead-scoring/scoring-rules.service';
import { LeadCapture } from './leads/lead-capture';
import { LeadEvents } from './leads/lead-events';
import { LeadsController } from './leads/leads.controller';
import { LeadsHandoverParticipant } from './leads/leads-handover.participant';
import { LeadsPersonalDataHolder } from './leads/leads-personal-data.holder';
import { LeadsRepository } from './leads/leads.repository';
import { LeadsService } from './leads/leads.service';
import { OpportunityOpener } from './opportunities/opportunity-opener';
import { OpportunitiesHandoverParticipant } from './opportunities/opportunities-handover.participant';
import { OpportunityRottingJob } from './opportunities/opportunity-rotting.job';
import { OpportunityRottingRepository } from './opportunities/opportunity-rotting.repository';
import { OpportunitiesController } from './opportunities/opportunities.controller';
import { OpportunitiesService } from './opportunities/opportunities.service';
import { PipelinesController } from './pipelines/pipelines.controller';
import { FunnelController } from './funnel/funnel.controller';
import { ForecastController } from './forecast/forecast.controller';
import { ForecastRepository } from './forecast/forecast.repository';
import { ForecastService } from './forecast/forecast.service';
import { QuotasController } from './quotas/quotas.controller';
import { QuotasRepository } from './quotas/quotas.repository';
import { QuotasService } from './quotas/quotas.service';
import { FunnelRepository } from './funnel/funnel.repository';
import { FunnelService } from './funnel/funnel.service';
import { ReportOwners } from './funnel/report-owners';
import { PipelinesService } from './pipelines/pipelines.service';
import { OpportunityEvents } from './opportunities/opportunity-events';
import { OpportunitiesRepository } from './opportunities/opportunities.repository';
import { PipelinesRepository } from './pipelines/pipelines.repository';
import { CustomerDirectoryRepository } from './customers-directory/customer-directory.repository';
import { CustomerEventsConsumer } from './customers-directory/customer-events.consumer';
import { CustomerReferences } from './customers-directory/customer-references';
import { SalesTasks } from './tasks/sales-tasks';
import { personalDataHolders } from '@crm/platform/privacy';
import { ActivitiesHolder } from './privacy/activities.holder';
import { ErasureRequestsConsumer } from './privacy/erasure-requests.consumer';
import { InternalPrivacyController } from './privacy/internal-privacy.controller';
import { UserEventsConsumer } from './users/user-events.consumer';
import { UsersRepository } from './users/users.repository';
import { CurrencyConverter } from './exchange-rates/currency-converter';
import { ExchangeRatesController, SalesSettingsController } from './exchange-rates/exchange-rates.controller';
import { ExchangeRatesRepository } from './exchange-rates/exchange-rates.repository';
import { ExchangeRatesService } from './exchange-rates/exchange-rates.service';
import { DocumentNumbers } from './orders/document-numbers';
import { OrderEvents } from './orders/order-events';
import { OrdersController } from './orders/orders.controller';
import { OrdersRepository } from './orders/orders.repository';
import { OrdersService } from './orders/orders.service';
import { ContractEvents } from './contracts/contract-events';
import { ContractsController } from './contracts/contracts.controller';
import { ContractsRepository } from './contracts/contracts.repository';
import { ContractsService } from './contracts/contracts.service';
import { PaymentEvents } from './payments/payment-events';
import { PaymentsController } from './payments/payments.controller';
import { PaymentsRepository } from './payments/payments.repository';
import { PaymentsService } from './payments/payments.service';
import { PaymentForecastController } from './payments/payment-forecast.controller';
import { PaymentForecastRepository } from './payments/payment-forecast.repository';
import { PaymentForecastService } from './payments/payment-forecast.service';
import { RenewalReminderJob } from './renewals/renewal-reminder.job';
import { RenewalsRepository } from './renewals/renewals.repository';
import { SalesReportController } from './sales-report/sales-report.controller';
import { SalesReportRepository } from './sales-report/sales-report.repository';
import { SalesReportService } from './sales-report/sales-report.service';
import { ContractsHandoverParticipant } from './contracts/contracts-handover.participant';
import { ProductsController } from './products/products.controller';
import { ProductsRepository } from './products/products.repository';
import { ProductsService } from './products/products.service';
import { ActivitiesController } from './activities/activities.controller';
import { ActivitiesRepository } from './activities/activities.repository';
import { ActivitiesService } from './activities/activities.service';
import { RecordLinkChecker } from './activities/record-links';
import { TaskHandoverParticipant } from './activities/task-handover.participant';
import { HandoverController } from './handover/handover.controller';
import { handoverParticipants } from './handover/handover-participant';
import { HandoverService } from './handover/handover.service';
import { HandoversRepository } from './handover/handovers.repository';
import { TemplatesController } from './templates/templates.controller';
import { TemplatesRepository } from './templates/templates.repository';
import { TemplatesService } from './templates/templates.service';
import { PlansController } from './plans/plans.controller';
import { PlansRepository } from './plans/plans.repository';
import { PlansService } from './plans/plans.service';
import { ProcessReportController } from './process-report/process-report.controller';
import { ProcessReportRepository } from './process-report/process-report.repository';
import { ProcessReportService } from './process-report/process-report.service';
import { PartnerReportController, PartnersController } from './partners/partners.controller';
import { PartnersRepository } from './partners/partners.repository';
import { PartnersService } from './partners/partners.service';
import { AutomationActions } from './automation/automation-actions';
import { AutomationEventsConsumer } from './automation/automation-events.consumer';
import { AutomationRulesController } from './automation/automation-rules.controller';
import { AutomationRulesRepository } from './automation/automation-rules.repository';
import { AutomationRulesService } from './automation/automation-rules.service';
import { AutomationRunner } from './automation/automation-runner';
import { AutomationSubjects } from './automation/automation-subjects';
import { LeadEscalationJob } from './automation/lead-escalation.job';

/**
 * The sales service: lead to cash. Read models of identity's users and the customers service's
 * customers come first; every part of the pipeline builds on them.
 */
@Module({
  controllers: [ScoringRulesController, AssignmentRulesController, LeadsController, LeadFormsController, PublicFormsController, InternalPrivacyController, ExchangeRatesController, SalesSettingsController, ProductsController, OrdersController, ContractsController, PaymentsController, PaymentForecastController, SalesReportController, ActivitiesController, HandoverController, PipelinesController, OpportunitiesController, FunnelController, ForecastController, QuotasController, TemplatesController, PlansController, ProcessReportController, PartnersController, PartnerReportController, AutomationRulesController],
  providers: [
    // Leads: capture from every channel (dedup, scoring, assignment), web forms, conversion
    LeadsRepository,
    LeadsService,
    LeadCapture,
    LeadEvents,
    LeadScorer,
    LeadRescoringJob,
    ScoringRulesService,
    LeadAssigner,
    AssignmentRulesService,
    LeadFormsRepository,
    LeadFormsService,
    // Pipeline: pipelines, opportunities (OpportunityOpener is what lead conversion uses), funnel, rotting, quotas, forecast
    PipelinesRepository,
    OpportunitiesRepository,
    OpportunityEvents,
    OpportunityOpener,
    PipelinesService,
    OpportunitiesService,
    ReportOwners,
    FunnelRepository,
    FunnelService,
    OpportunityRottingRepository,
    OpportunityRottingJob,
    QuotasRepository,
    QuotasService,
    ForecastRepository,
    ForecastService,
    // Read model of identity's users (owners, teams, seniority)
    UsersRepository,
    UserEventsConsumer,
    // Read model of the customers service's customers (dedup, references, merges)
    CustomerDirectoryRepository,
    CustomerReferences,
    CustomerEventsConsumer,
    // Tasks the service raises for people
    SalesTasks,
    // Privacy: every part that stores personal data of customers lists its PersonalDataHolder here, so
    // exports include it and erasures (ErasureRequested from the customers service) erase it.
    ...personalDataHolders(ActivitiesHolder, LeadsPersonalDataHolder),
    ErasureRequestsConsumer,
    // Order to cash: reporting currency and exchange rates (used by every report)
    CurrencyConverter,
    ExchangeRatesRepository,
    ExchangeRatesService,
    // Order to cash: products and orders
    ProductsRepository,
    ProductsService,
    DocumentNumbers,
    OrdersRepository,
    OrderEvents,
    OrdersService,
    // Order to cash: contracts, payment schedules, receipts, invoices
    ContractsRepository,
    ContractEvents,
    ContractsService,
    PaymentsRepository,
    PaymentEvents,
    PaymentsService,
    // Order to cash: payment forecast, sales report, renewal reminders
    PaymentForecastRepository,
    PaymentForecastService,
    SalesReportRepository,
    SalesReportService,
    RenewalsRepository,
    RenewalReminderJob,
    // Work: activities and tasks, templates, rep plans and the process report, partners, handovers
    ActivitiesRepository,
    ActivitiesService,
    RecordLinkChecker,
    HandoverService,
    HandoversRepository,
    // Handover: every part of sales that owns a user's open work lists its HandoverParticipant here
    ...handoverParticipants(LeadsHandoverParticipant, TaskHandoverParticipant, ContractsHandoverParticipant, OpportunitiesHandoverParticipant),
    // Work: templates and call scripts
    TemplatesRepository,
    TemplatesService,
    // Work: rep plans and the process report
    PlansRepository,
    PlansService,
    ProcessReportRepository,
    ProcessReportService,
    // Work: partners, partner quotas and the partner analysis
    PartnersRepository,
    PartnersService,
    // Automation rules: rules as data, run by consumers of sales' own events and the lead escalation job
    AutomationRulesRepository,
    AutomationRulesService,
    AutomationSubjects,
    AutomationRunner,
    AutomationActions,
    AutomationEventsConsumer,
    LeadEscalationJob,
  ],
})
export class SalesModule {}
