import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TemplatePublishedEvent, TemplatePublishedSchema } from '@crm/contracts';
import { principal } from '@crm/platform/auth';
import { isUniqueViolation, TenantTransactions } from '@crm/platform/database';
import { EventBus } from '@crm/platform/messaging';
import { assertVersion, isUuid, mapPage, type Page } from '@crm/platform/api';
import { ValidationFailedError } from '@crm/platform/errors';
import type {
  CreateTemplateDto,
  ListTemplatesQueryDto,
  PreviewTemplateDto,
  PublishedTemplateVersionDto,
  TemplateDto,
  TemplatePreviewDto,
  TemplateVariantDto,
  UpdateTemplateDto,
} from './dto/template.dto';
import {
  InvalidTemplateError,
  MissingTemplateVariablesError,
  TemplateLocaleMissingError,
  TemplateNameTakenError,
  TemplateNotFoundError,
  TemplateVersionNotFoundError,
  UnknownTemplateVariablesError,
} from './template.errors';
import { toTemplateDto, toTemplateVersionDto } from './template.mapper';
import { checkPlaceholders, render } from './template-text';
import { TemplatesRepository, type TemplateRow, type TemplateVariant } from './templates.repository';

/**
 * Communication templates and call scripts. The working copy is edited freely (If-Match); publishing
 * freezes it as the next published version and emits TemplatePublished, which is how marketing shares
 * them. Every placeholder must be a declared variable.
 */
@Injectable()
export class TemplatesService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly templates: TemplatesRepository,
    private readonly eventBus: EventBus,
  ) {}

  list(query: ListTemplatesQueryDto): Promise<Page<TemplateDto>> {
    return this.transactions.run(async (manager) =>
      mapPage(await this.templates.page(manager, { kind: query.kind, status: query.status, locale: query.locale }, { limit: query.limit, cursor: query.cursor, total: query.total }), toTemplateDto),
    );
  }

  get(id: string): Promise<TemplateDto> {
    return this.transactions.run(async (manager) => toTemplateDto(await this.findOrFail(manager, id)));
  }

  create(input: CreateTemplateDto): Promise<TemplateDto> {
    const caller = principal();
    const variants = normaliseVariants(input.kind, input.variants);
    const variables = [...new Set(input.variables)];
    assertPlaceholders(variants, variables);
    return this.transactions.run(async (manager) => {
      const id = randomUUID();
      const name = input.name.trim();
      await this.unique(name, () => this.templates.insert(manager, { id, name, kind: input.kind, description: input.description ?? null, variables, variants, created_by: caller.userId }));
      return toTemplateDto(await this.reload(manager, id));
    });
  }

  update(id: string, input: UpdateTemplateDto, expectedVersion: number | undefined): Promise<TemplateDto> {
    return this.transactions.run(async (manager) => {
      const row = await this.findOrFail(manager, id, { lock: true });
      assertVersion(expectedVersion, row.version);
      const next: TemplateRow = { ...row };
      if (input.name !== undefined) next.name = input.name.trim();
      if (input.description !== undefined) next.description = input.description;
      if (input.variables !== undefined) next.variables = [...new Set(input.variables)];
      if (input.variants !== undefined) next.variants = normaliseVariants(row.kind, input.variants);
      assertPlaceholders(next.variants, next.variables);
      await this.unique(next.name, () => this.templates.update(manager, next));
      return toTemplateDto(await this.reload(manager, row.id));
    });
  }

  /** Freezes the working copy as the next published version and emits TemplatePublished. */
  publish(id: string, expectedVersion: number | undefined): Promise<TemplateDto> {
    const caller = principal();
    return this.transactions.run(async (manager) => {
      const row = await this.findOrFail(manager, id, { lock: true });
      assertVersion(expectedVersion, row.version);
      assertPlaceholders(row.variants, row.variables);
      const publishedVersion = (row.published_version ?? 0) + 1;
      const now = new Date();
      await this.templates.insertVersion(manager, {
        template_id: row.id,
        published_version: publishedVersion,
        name: row.name,
        kind: row.kind,
        variables: row.variables,
        variants: row.variants,
        published_by: caller.userId,
        published_at: now,
      });
      await this.templates.update(manager, { ...row, status: 'published', published_version: publishedVersion });
      await this.eventBus.publish(
        manager,
        TemplatePublishedEvent,
        create(TemplatePublishedSchema, {
          tenantId: row.tenant_id,
          templateId: row.id,
          publishedVersion,
          name: row.name,
          kind: row.kind,
          variables: [...row.variables],
          variants: row.variants.map((variant) => ({ locale: variant.locale, subject: variant.subject ?? '', body: variant.body })),
          publishedBy: caller.userId,
          publishedAt: now.toISOString(),
        }),
        { subject: row.id, tenantId: row.tenant_id },
      );
      return toTemplateDto(await this.reload(manager, row.id));
    });
  }

  versions(id: string): Promise<PublishedTemplateVersionDto[]> {
    return this.transactions.run(async (manager) => {
      const row = await this.findOrFail(manager, id);
      return (await this.templates.versions(manager, row.id)).map(toTemplateVersionDto);
    });
  }

  /**
   * The text in one locale with the variables filled in. Rule: every placeholder of that locale's
   * subject and body needs a value (422 template_variables_missing listing them), unless allowMissing
   * renders them empty (and lists them in `missing`); values for variables the template does not
   * declare are refused (422 template_variables_unknown). Numbers are rendered as given.
   */
  preview(id: string, input: PreviewTemplateDto): Promise<TemplatePreviewDto> {
    const values = new Map<string, string>();
    const badValues: Array<{ field: string; message: string }> = [];
    for (const [name, value] of Object.entries(input.variables ?? {})) {
      if (typeof value === 'string') values.set(name, value);
      else if (typeof value === 'number' && Number.isFinite(value)) values.set(name, String(value));
      else badValues.push({ field: `variables.${name}`, message: 'must be a string or a number' });
    }
    if (badValues.length > 0) throw new ValidationFailedError(badValues);
    return this.transactions.run(async (manager) => {
      const row = await this.findOrFail(manager, id);
      let source: { variables: string[]; variants: TemplateVariant[] } = row;
      if (input.publishedVersion !== undefined) {
        const version = await this.templates.findVersion(manager, row.id, input.publishedVersion);
        if (!version) throw new TemplateVersionNotFoundError(id, input.publishedVersion);
        source = version;
      }
      const undeclared = [...values.keys()].filter((name) => !source.variables.includes(name));
      if (undeclared.length > 0) throw new UnknownTemplateVariablesError(undeclared, []);
      const variant = source.variants.find((candidate) => candidate.locale === input.locale);
      if (!variant) throw new TemplateLocaleMissingError(input.locale, source.variants.map((candidate) => candidate.locale));
      const subject = variant.subject === null ? null : render(variant.subject, values);
      const body = render(variant.body, values);
      const missing = [...new Set([...(subject?.missing ?? []), ...body.missing])];
      if (missing.length > 0 && !input.allowMissing) throw new MissingTemplateVariablesError(missing);
      return { locale: variant.locale, subject: subject?.text ?? null, body: body.text, missing };
    });
  }

  private async unique(name: string, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (isUniqueViolation(error, 'message_templates_name_idx')) throw new TemplateNameTakenError(name);
      throw error;
    }
  }

  /** A template this transaction just wrote. */
  private async reload(manager: EntityManager, id: string): Promise<TemplateRow> {
    const row = await this.templates.find(manager, id);
    if (!row) throw new Error(`template ${id} vanished after being written`);
    return row;
  }

  private async findOrFail(manager: EntityManager, id: string, options: { lock?: boolean } = {}): Promise<TemplateRow> {
    const row = isUuid(id) ? await this.templates.find(manager, id.toLowerCase(), options) : null;
    if (!row) throw new TemplateNotFoundError(id);
    return row;
  }
}

/** One variant per locale; a subject for e-mails (required) and for no other kind. */
function normaliseVariants(kind: string, variants: readonly TemplateVariantDto[]): TemplateVariant[] {
  const problems: Array<{ field: string; message: string }> = [];
  const seen = new Set<string>();
  variants.forEach((variant, index) => {
    if (seen.has(variant.locale)) problems.push({ field: `variants[${index}].locale`, message: `a second ${variant.locale} variant` });
    seen.add(variant.locale);
    const subject = variant.subject?.trim() ?? '';
    if (kind === 'email' && subject === '') problems.push({ field: `variants[${index}].subject`, message: 'an e-mail needs a subject' });
    if (kind !== 'email' && subject !== '') problems.push({ field: `variants[${index}].subject`, message: `a ${kind} has no subject` });
  });
  if (problems.length > 0) throw new InvalidTemplateError(problems);
  return variants.map((variant) => ({ locale: variant.locale, subject: kind === 'email' ? (variant.subject ?? '').trim() : null, body: variant.body }));
}

function assertPlaceholders(variants: readonly TemplateVariant[], variables: readonly string[]): void {
  const { unknown, malformed } = checkPlaceholders(
    variants.flatMap((variant) => [variant.subject ?? '', variant.body]),
    variables,
  );
  if (unknown.length > 0 || malformed.length > 0) throw new UnknownTemplateVariablesError(unknown, malformed);
}
