import type { PublishedTemplateVersionDto, TemplateDto, TemplateVariantDto } from './dto/template.dto';
import type { TemplateRow, TemplateVariant, TemplateVersionRow } from './templates.repository';

const variantDto = (variant: TemplateVariant): TemplateVariantDto => ({ locale: variant.locale as TemplateVariantDto['locale'], subject: variant.subject, body: variant.body });

export function toTemplateDto(row: TemplateRow): TemplateDto {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    description: row.description,
    variables: [...row.variables],
    variants: row.variants.map(variantDto),
    status: row.status,
    publishedVersion: row.published_version,
    hasUnpublishedChanges: !row.published_current,
    version: row.version,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toTemplateVersionDto(row: TemplateVersionRow): PublishedTemplateVersionDto {
  return {
    publishedVersion: row.published_version,
    name: row.name,
    kind: row.kind,
    variables: [...row.variables],
    variants: row.variants.map(variantDto),
    publishedBy: row.published_by,
    publishedAt: row.published_at.toISOString(),
  };
}
