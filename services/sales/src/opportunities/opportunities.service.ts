import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { assertVersion, isUuid, type Page } from '@crm/platform/api';
import { isInScope, ownershipScope, principal, type OwnershipScope, type Principal } from '@crm/platform/auth';
import { TenantTransactions } from '@crm/platform/database';
import { CustomerDirectoryRepository } from '../customers-directory/customer-directory.repository';
import { stageOf, type Pipeline, type PipelineStage } from '../pipelines/pipeline.model';
import { PipelinesRepository } from '../pipelines/pipelines.repository';
import { UsersRepository } from '../users/users.repository';
import type { CreateOpportunityDto, ListOpportunitiesQueryDto, MoveStageDto, OpportunityDto, StageHistoryEntryDto, UpdateOpportunityDto } from './dto/opportunity.dto';
import { linesTotalMicros, toLineItems } from './line-items';
import { OpportunitiesRepository } from './opportunities.repository';
import { OpportunityEvents } from './opportunity-events';
import { OpportunityOpener } from './opportunity-opener';
import type { OpportunityEntity } from './opportunity.entity';
import {
  CustomerNotLiveError,
  LostReasonRequiredError,
  OpportunityClosedError,
  OpportunityNotFoundError,
  OwnerNotAssignableError,
  OwnerOutOfScopeError,
  UnknownStageError,
} from './opportunity.errors';
import { toOpportunityDto, toStageHistory } from './opportunity.mapper';

/** What a stage move asks for besides the stage. */
interface StageChange {
  stage: string;
  lostReason?: string;
  competitor?: string;
}

/** An event to publish once the opportunity has its final version. */
type PendingEvent = (manager: EntityManager, opportunity: OpportunityEntity) => Promise<void>;

/**
 * Opportunities in the caller's scope (rep: own, manager: their teams', admin: all; others are 404).
 * Stage moves record the history and emit OpportunityStageChanged, OpportunityWon or OpportunityLost;
 * a won or lost opportunity never moves again.
 */
@Injectable()
export class OpportunitiesService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly opportunities: OpportunitiesRepository,
    private readonly pipelines: PipelinesRepository,
    private readonly opener: OpportunityOpener,
    private readonly events: OpportunityEvents,
    private readonly customers: CustomerDirectoryRepository,
    private readonly users: UsersRepository,
  ) {}

  async list(query: ListOpportunitiesQueryDto): Promise<Page<OpportunityDto>> {
    const scope = ownershipScope();
    const { limit, cursor, total, ...filter } = query;
    return this.transactions.run(async (manager) => {
      const page = await this.opportunities.page(manager, filter, scope, { limit, cursor, total });
      const pipelines = await this.pipelinesOf(manager, page.items);
      return { ...page, items: page.items.map((item) => toOpportunityDto(item, stageInPipeline(pipelines.get(item.pipelineId), item.stage))) };
    });
  }

  async get(id: string): Promise<OpportunityDto> {
    const scope = ownershipScope();
    return this.transactions.run(async (manager) => {
      const opportunity = await this.findOrFail(manager, id, scope);
      return this.toDto(manager, opportunity);
    });
  }

  async history(id: string): Promise<StageHistoryEntryDto[]> {
    const scope = ownershipScope();
    return this.transactions.run(async (manager) => {
      const opportunity = await this.findOrFail(manager, id, scope);
      return toStageHistory(await this.opportunities.history(manager, opportunity.id), new Date());
    });
  }

  async create(input: CreateOpportunityDto): Promise<OpportunityDto> {
    const caller = principal();
    const scope = ownershipScope();
    return this.transactions.run(async (manager) => {
      const ownerId = input.ownerId ?? caller.userId;
      await this.checkOwner(manager, ownerId, caller, scope);
      await this.checkCustomer(manager, input.customerId);
      const pipeline = await this.opener.pipelineFor(manager, input.pipelineId);
      if (input.stage !== undefined) {
        const stage = stageOf(pipeline, input.stage);
        if (!stage || stage.kind !== 'open') throw new UnknownStageError(input.stage, pipeline.id);
      }
      const lineItems = toLineItems(input.lineItems ?? []);
      const amountMicros = input.amount ? BigInt(input.amount.amountMicros) : linesTotalMicros(lineItems);
      const opportunity = await this.opener.openWithDetails(
        manager,
        {
          tenantId: caller.tenantId,
          name: input.name,
          customerId: input.customerId,
          ownerId,
          leadId: input.leadId ?? null,
          partnerId: input.partnerId ?? null,
          pipelineId: pipeline.id,
          stage: input.stage ?? null,
          amountMicros,
          currency: input.amount?.currency ?? input.currency ?? 'CNY',
          expectedCloseDate: input.expectedCloseDate ?? null,
          lineItems,
          openedBy: caller.userId,
        },
        pipeline,
      );
      return toOpportunityDto(opportunity, stageOf(pipeline, opportunity.stage));
    });
  }

  /** Changes fields and, with `stage`, moves it; absent fields are kept. */
  async update(id: string, input: UpdateOpportunityDto, expectedVersion: number | undefined): Promise<OpportunityDto> {
    const caller = principal();
    const scope = ownershipScope();
    return this.transactions.run(async (manager) => {
      const opportunity = await this.findOrFail(manager, id, scope, { lock: true });
      assertVersion(expectedVersion, opportunity.version);
      const pipeline = await this.pipelineOf(manager, opportunity);
      const now = new Date();
      let changed = false;
      const set = <K extends keyof OpportunityEntity>(key: K, value: OpportunityEntity[K]): void => {
        if (JSON.stringify(opportunity[key]) === JSON.stringify(value)) return;
        opportunity[key] = value;
        changed = true;
      };
      const previousOwnerId = opportunity.ownerId;
      if (input.ownerId !== undefined && input.ownerId !== opportunity.ownerId) {
        await this.checkOwner(manager, input.ownerId, caller, scope);
        set('ownerId', input.ownerId);
      }
      if (input.customerId !== undefined && input.customerId !== opportunity.customerId) {
        await this.checkCustomer(manager, input.customerId);
        set('customerId', input.customerId);
      }
      if (input.name !== undefined) set('name', input.name);
      if (input.expectedCloseDate !== undefined) set('expectedCloseDate', input.expectedCloseDate);
      if (input.partnerId !== undefined) set('partnerId', input.partnerId);
      if (input.competitor !== undefined) set('competitor', input.competitor);
      if (input.lineItems !== undefined) {
        const lines = toLineItems(input.lineItems);
        set('lineItems', lines);
        if (input.amount === undefined) set('amountMicros', linesTotalMicros(lines).toString());
      }
      if (input.amount !== undefined) {
        set('amountMicros', BigInt(input.amount.amountMicros).toString());
        set('currency', input.amount.currency);
      }
      let pending: PendingEvent | null = null;
      if (input.stage !== undefined) {
        pending = await this.moveTo(manager, opportunity, pipeline, { stage: input.stage, lostReason: input.lostReason, competitor: input.competitor }, caller.userId, now);
        if (pending) changed = true;
      }
      if (!changed) return toOpportunityDto(opportunity, stageOf(pipeline, opportunity.stage));
      await this.commit(manager, opportunity, now, pending);
      if (opportunity.ownerId !== previousOwnerId) {
        await this.events.ownerChanged(manager, [{ ...opportunity, previousOwnerId }], caller.userId, now);
      }
      return toOpportunityDto(opportunity, stageOf(pipeline, opportunity.stage));
    });
  }

  /** `POST /opportunities/{id}/stage`: a stage move on its own. */
  async moveStage(id: string, input: MoveStageDto, expectedVersion: number | undefined): Promise<OpportunityDto> {
    const caller = principal();
    const scope = ownershipScope();
    return this.transactions.run(async (manager) => {
      const opportunity = await this.findOrFail(manager, id, scope, { lock: true });
      assertVersion(expectedVersion, opportunity.version);
      const pipeline = await this.pipelineOf(manager, opportunity);
      const now = new Date();
      const pending = await this.moveTo(manager, opportunity, pipeline, input, caller.userId, now);
      if (pending) await this.commit(manager, opportunity, now, pending);
      return toOpportunityDto(opportunity, stageOf(pipeline, opportunity.stage));
    });
  }

  /**
   * Moves the opportunity to `change.stage` (recording the history) and returns the event to publish,
   * or null when it is already there. Closed opportunities never move (409).
   */
  private async moveTo(manager: EntityManager, opportunity: OpportunityEntity, pipeline: Pipeline, change: StageChange, by: string, at: Date): Promise<PendingEvent | null> {
    if (opportunity.status !== 'open') {
      if (change.stage === opportunity.stage) return null;
      throw new OpportunityClosedError(opportunity.id, opportunity.status);
    }
    if (change.stage === opportunity.stage) return null;
    const target = stageOf(pipeline, change.stage);
    if (!target) throw new UnknownStageError(change.stage, pipeline.id);
    if (target.kind === 'lost' && !change.lostReason) throw new LostReasonRequiredError();
    const previousStage = opportunity.stage;
    await this.opportunities.recordEntry(manager, {
      tenantId: opportunity.tenantId,
      opportunityId: opportunity.id,
      pipelineId: pipeline.id,
      openedAt: opportunity.openedAt,
      fromStage: previousStage,
      stage: target.key,
      kind: target.kind,
      at,
      by,
      earlierStages: pipeline.stages.filter((stage) => stage.kind === 'open' && stage.position < target.position).map((stage) => stage.key),
    });
    opportunity.stage = target.key;
    opportunity.stageEnteredAt = at;
    switch (target.kind) {
      case 'open':
        return (m, o) => this.events.stageChanged(m, o, previousStage, target, by, at);
      case 'won':
        opportunity.status = 'won';
        opportunity.closedAt = at;
        return (m, o) => this.events.won(m, o, previousStage, by, at);
      case 'lost':
        opportunity.status = 'lost';
        opportunity.closedAt = at;
        opportunity.lostReason = change.lostReason ?? null;
        if (change.competitor !== undefined) opportunity.competitor = change.competitor;
        return (m, o) => this.events.lost(m, o, previousStage, by, at);
    }
  }

  private async commit(manager: EntityManager, opportunity: OpportunityEntity, now: Date, pending: PendingEvent | null): Promise<void> {
    opportunity.version += 1;
    opportunity.updatedAt = now;
    opportunity.lastTouchedAt = now;
    await this.opportunities.save(manager, opportunity);
    if (pending) await pending(manager, opportunity);
  }

  /** Owning it yourself is always fine; anyone else must be an active user you may assign to (your scope). */
  private async checkOwner(manager: EntityManager, ownerId: string, caller: Principal, scope: OwnershipScope): Promise<void> {
    if (ownerId === caller.userId) return;
    const user = await this.users.findById(manager, ownerId);
    if (!user || !user.active) throw new OwnerNotAssignableError(ownerId);
    if (!isInScope(scope, ownerId, user.teamIds)) throw new OwnerOutOfScopeError(ownerId);
  }

  private async checkCustomer(manager: EntityManager, customerId: string): Promise<void> {
    if (!(await this.customers.findLive(manager, customerId))) throw new CustomerNotLiveError(customerId);
  }

  private async findOrFail(manager: EntityManager, id: string, scope: OwnershipScope, options: { lock?: boolean } = {}): Promise<OpportunityEntity> {
    const opportunity = isUuid(id) ? await this.opportunities.findInScope(manager, id, scope, options) : null;
    if (!opportunity) throw new OpportunityNotFoundError(id);
    return opportunity;
  }

  private async pipelineOf(manager: EntityManager, opportunity: OpportunityEntity): Promise<Pipeline> {
    const pipeline = await this.pipelines.findById(manager, opportunity.pipelineId);
    if (!pipeline) throw new Error(`pipeline ${opportunity.pipelineId} of opportunity ${opportunity.id} is missing`);
    return pipeline;
  }

  private async pipelinesOf(manager: EntityManager, opportunities: readonly OpportunityEntity[]): Promise<Map<string, Pipeline>> {
    const byId = new Map<string, Pipeline>();
    for (const pipelineId of new Set(opportunities.map((opportunity) => opportunity.pipelineId))) {
      const pipeline = await this.pipelines.findById(manager, pipelineId);
      if (pipeline) byId.set(pipelineId, pipeline);
    }
    return byId;
  }

  private async toDto(manager: EntityManager, opportunity: OpportunityEntity): Promise<OpportunityDto> {
    const pipeline = await this.pipelineOf(manager, opportunity);
    return toOpportunityDto(opportunity, stageOf(pipeline, opportunity.stage));
  }
}

function stageInPipeline(pipeline: Pipeline | undefined, key: string): PipelineStage | undefined {
  return pipeline ? stageOf(pipeline, key) : undefined;
}
