import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PersonalDataHolder, PersonalDataSection } from '@crm/platform/privacy';
import { toTimelineEntryDto } from '../timeline/timeline.mapper';
import { TimelineRepository } from '../timeline/timeline.repository';
import { toProfileSummaryDto } from './profile.mapper';
import { ProfileRepository } from './profile.repository';

/**
 * The 360° profile's tables. The timeline holds personal text (activity notes, ticket subjects and
 * resolutions, survey comments, tag names): an export gives every entry about the customer, an erasure
 * strips their text and details and keeps type, time and reference. The summary and the facts behind it
 * are figures (counts, amounts, dates, scores) that identify nobody once the record is erased, so they
 * are exported (they describe the person) and kept, like the order rows sales keeps.
 */
@Injectable()
export class ProfileDataHolder implements PersonalDataHolder {
  constructor(
    private readonly profiles: ProfileRepository,
    private readonly timeline: TimelineRepository,
  ) {}

  async export(manager: EntityManager, tenantId: string, customerId: string): Promise<PersonalDataSection[]> {
    const profile = await this.profiles.findOne(manager, tenantId, customerId);
    const entries = await this.timeline.ofCustomer(manager, tenantId, customerId);
    return [
      { name: 'profile', data: toProfileSummaryDto(profile) },
      { name: 'timeline', data: entries.map(toTimelineEntryDto) },
    ];
  }

  erase(manager: EntityManager, tenantId: string, customerId: string): Promise<number> {
    return this.timeline.anonymise(manager, tenantId, customerId);
  }
}
