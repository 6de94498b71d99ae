import type { PipelineDto } from './dto/pipeline.dto';
import type { Pipeline } from './pipeline.model';

export function toPipelineDto(pipeline: Pipeline): PipelineDto {
  return {
    id: pipeline.id,
    name: pipeline.name,
    isDefault: pipeline.isDefault,
    stages: pipeline.stages.map((stage) => ({ ...stage })),
    version: pipeline.version,
    createdAt: pipeline.createdAt.toISOString(),
    updatedAt: pipeline.updatedAt.toISOString(),
  };
}
