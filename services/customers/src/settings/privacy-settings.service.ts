import { Injectable } from '@nestjs/common';
import { assertVersion } from '@crm/platform/api';
import { principal } from '@crm/platform/auth';
import { TenantTransactions } from '@crm/platform/database';
import type { PrivacySettingsDto, UpdatePrivacySettingsDto } from './dto/privacy-settings.dto';
import { toPrivacySettingsDto } from './privacy-settings.mapper';
import { PrivacySettingsRepository } from './privacy-settings.repository';

/**
 * The tenant's data minimisation settings. Switching a field off stops it being collected from then on;
 * values already stored stay (an erasure request is the tool to remove a person's data), and writes may
 * still clear them.
 */
@Injectable()
export class PrivacySettingsService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly settings: PrivacySettingsRepository,
  ) {}

  get(): Promise<PrivacySettingsDto> {
    return this.transactions.run(async (manager) => toPrivacySettingsDto(await this.settings.find(manager)));
  }

  async replace(input: UpdatePrivacySettingsDto, expectedVersion: number | undefined): Promise<PrivacySettingsDto> {
    const { userId } = principal();
    return this.transactions.run(async (manager) => {
      const row = await this.settings.lockForUpdate(manager);
      assertVersion(expectedVersion, row.version);
      row.collectNationalId = input.collect?.nationalId ?? true;
      row.collectBankAccount = input.collect?.bankAccount ?? true;
      row.collectWechatIds = input.collect?.wechatIds ?? true;
      row.collectAddresses = input.collect?.addresses ?? true;
      row.notCollectedCustomFields = [...(input.notCollectedCustomFields ?? [])].sort();
      row.version += 1;
      row.updatedBy = userId;
      row.updatedAt = new Date();
      return toPrivacySettingsDto(await this.settings.save(manager, row));
    });
  }
}
