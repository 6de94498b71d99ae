/** What a stage means: still open, or one of the two closing stages every pipeline has. */
export type StageKind = 'open' | 'won' | 'lost';

/** Keys of the closing stages; open stages use any other key. */
export const WON_STAGE = 'won';
export const LOST_STAGE = 'lost';

export interface PipelineStage {
  /** Stable key, e.g. `initial_contact`; opportunities and their history refer to it. */
  key: string;
  /** Display name (Chinese or any Unicode), e.g. 初步接触. */
  name: string;
  nameEn: string | null;
  kind: StageKind;
  /** 0-based order: open stages first, then won, then lost. */
  position: number;
  /** Win probability 0–100: won is 100, lost 0. */
  probability: number;
  /** An open opportunity idle longer than this many days in the stage is rotting; null: never. */
  rottingDays: number | null;
}

export interface Pipeline {
  id: string;
  tenantId: string;
  name: string;
  isDefault: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  /** Ordered by position: open stages, won, lost. */
  stages: PipelineStage[];
}

/** An open stage as a pipeline is configured with it (won and lost are always added). */
export interface OpenStageInput {
  key: string;
  name: string;
  nameEn?: string | null;
  probability: number;
  rottingDays?: number | null;
}

/** The default pipeline every tenant gets on first use. */
export const DEFAULT_PIPELINE_NAME = '销售管道 Sales pipeline';
export const DEFAULT_OPEN_STAGES: readonly OpenStageInput[] = [
  { key: 'initial_contact', name: '初步接触', nameEn: 'Initial contact', probability: 10, rottingDays: 14 },
  { key: 'needs_confirmed', name: '需求确认', nameEn: 'Needs confirmed', probability: 30, rottingDays: 14 },
  { key: 'proposal', name: '方案报价', nameEn: 'Proposal / quote', probability: 60, rottingDays: 10 },
  { key: 'contract_signed', name: '合同签订', nameEn: 'Contract signed', probability: 80, rottingDays: 7 },
];

/** The full stage list of a pipeline: the open stages in order, then won (100%) and lost (0%). */
export function withClosingStages(open: readonly OpenStageInput[]): PipelineStage[] {
  const stages: PipelineStage[] = open.map((stage, position) => ({
    key: stage.key,
    name: stage.name,
    nameEn: stage.nameEn ?? null,
    kind: 'open',
    position,
    probability: stage.probability,
    rottingDays: stage.rottingDays ?? null,
  }));
  stages.push({ key: WON_STAGE, name: '赢单', nameEn: 'Won', kind: 'won', position: open.length, probability: 100, rottingDays: null });
  stages.push({ key: LOST_STAGE, name: '输单', nameEn: 'Lost', kind: 'lost', position: open.length + 1, probability: 0, rottingDays: null });
  return stages;
}

export function stageOf(pipeline: Pipeline, key: string): PipelineStage | undefined {
  return pipeline.stages.find((stage) => stage.key === key);
}

export function firstOpenStage(pipeline: Pipeline): PipelineStage {
  const first = pipeline.stages.find((stage) => stage.kind === 'open');
  if (!first) throw new Error(`pipeline ${pipeline.id} has no open stage`);
  return first;
}
