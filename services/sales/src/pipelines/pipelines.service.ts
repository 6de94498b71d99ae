import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { assertVersion, isUuid, mapPage, type Page } from '@crm/platform/api';
import { requireTenantId, TenantTransactions } from '@crm/platform/database';
import type { CreatePipelineDto, OpenStageInputDto, PipelineDto, UpdatePipelineDto } from './dto/pipeline.dto';
import { DefaultPipelineRequiredError, InvalidStagesError, PipelineNotFoundError, StageInUseError } from './pipeline.errors';
import { toPipelineDto } from './pipeline.mapper';
import { LOST_STAGE, WON_STAGE, withClosingStages, type Pipeline } from './pipeline.model';
import { PipelinesRepository } from './pipelines.repository';

/** Pipelines of the tenant. Every read first makes sure the default pipeline exists. */
@Injectable()
export class PipelinesService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly pipelines: PipelinesRepository,
  ) {}

  async list(paging: { limit: number; cursor?: string; total?: boolean }): Promise<Page<PipelineDto>> {
    return this.transactions.run(async (manager) => {
      await this.pipelines.ensureDefault(manager);
      return mapPage(await this.pipelines.page(manager, paging), toPipelineDto);
    });
  }

  async get(id: string): Promise<PipelineDto> {
    return this.transactions.run(async (manager) => {
      await this.pipelines.ensureDefault(manager);
      const pipeline = isUuid(id) ? await this.pipelines.findById(manager, id) : null;
      if (!pipeline) throw new PipelineNotFoundError(id);
      return toPipelineDto(pipeline);
    });
  }

  async create(input: CreatePipelineDto): Promise<PipelineDto> {
    const stages = withClosingStages(checkedStages(input.stages));
    return this.transactions.run(async (manager) => {
      // The default exists first, so a new default replaces it rather than the lazy one appearing later.
      await this.pipelines.ensureDefault(manager);
      if (input.isDefault) await this.pipelines.clearDefault(manager);
      const now = new Date();
      const pipeline: Pipeline = { id: randomUUID(), tenantId: requireTenantId(), name: input.name, isDefault: input.isDefault === true, version: 1, createdAt: now, updatedAt: now, stages };
      await this.pipelines.insert(manager, pipeline);
      return toPipelineDto(pipeline);
    });
  }

  /**
   * Renames, re-stages or makes the pipeline the default. Stages are matched by key: a kept key keeps its
   * opportunities and history; a removed key that opportunities are in is refused with 409.
   */
  async update(id: string, input: UpdatePipelineDto, expectedVersion: number | undefined): Promise<PipelineDto> {
    const stages = input.stages ? withClosingStages(checkedStages(input.stages)) : undefined;
    return this.transactions.run(async (manager) => {
      await this.pipelines.ensureDefault(manager);
      const pipeline = isUuid(id) ? await this.pipelines.findById(manager, id, { lock: true }) : null;
      if (!pipeline) throw new PipelineNotFoundError(id);
      assertVersion(expectedVersion, pipeline.version);
      if (input.isDefault === false && pipeline.isDefault) throw new DefaultPipelineRequiredError();
      let changed = false;
      if (input.name !== undefined && input.name !== pipeline.name) {
        pipeline.name = input.name;
        changed = true;
      }
      if (stages) {
        const kept = new Set(stages.map((stage) => stage.key));
        const removed = pipeline.stages.filter((stage) => !kept.has(stage.key)).map((stage) => stage.key);
        const inUse = await this.pipelines.stagesInUse(manager, pipeline.id, removed);
        if (inUse.length > 0) throw new StageInUseError(inUse);
        pipeline.stages = stages;
        changed = true;
      }
      if (input.isDefault === true && !pipeline.isDefault) {
        await this.pipelines.clearDefault(manager);
        pipeline.isDefault = true;
        changed = true;
      }
      if (!changed) return toPipelineDto(pipeline);
      pipeline.version += 1;
      pipeline.updatedAt = new Date();
      await this.pipelines.update(manager, pipeline);
      return toPipelineDto(pipeline);
    });
  }
}

/** Unique keys, none of them the reserved won/lost. */
function checkedStages(stages: readonly OpenStageInputDto[]): OpenStageInputDto[] {
  const seen = new Set<string>();
  for (const stage of stages) {
    if (stage.key === WON_STAGE || stage.key === LOST_STAGE) throw new InvalidStagesError(`The keys ${WON_STAGE} and ${LOST_STAGE} are the closing stages every pipeline has; give open stages other keys`);
    if (seen.has(stage.key)) throw new InvalidStagesError(`The stage key ${stage.key} appears twice`);
    seen.add(stage.key);
  }
  return [...stages];
}
