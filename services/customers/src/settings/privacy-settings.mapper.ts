import type { CollectionSettings } from './collection-rules';
import type { PrivacySettingsDto } from './dto/privacy-settings.dto';
import type { CustomerPrivacySettingsEntity } from './privacy-settings.entity';

export function toCollectionSettings(row: CustomerPrivacySettingsEntity): CollectionSettings {
  return {
    collect: { nationalId: row.collectNationalId, bankAccount: row.collectBankAccount, wechatIds: row.collectWechatIds, addresses: row.collectAddresses },
    notCollectedCustomFields: [...row.notCollectedCustomFields],
  };
}

/** The settings as callers see them; `row` null is a tenant that never changed them. */
export function toPrivacySettingsDto(row: CustomerPrivacySettingsEntity | null): PrivacySettingsDto {
  if (!row) {
    return {
      collect: { nationalId: true, bankAccount: true, wechatIds: true, addresses: true },
      notCollectedCustomFields: [],
      version: 0,
      updatedAt: null,
      updatedBy: null,
    };
  }
  const { collect, notCollectedCustomFields } = toCollectionSettings(row);
  return {
    collect,
    notCollectedCustomFields: [...notCollectedCustomFields],
    version: row.version,
    updatedAt: row.version > 0 ? row.updatedAt.toISOString() : null,
    updatedBy: row.updatedBy,
  };
}
