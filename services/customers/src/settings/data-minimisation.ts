import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { FieldProblem } from '../standardisation';
import { COLLECT_EVERYTHING, collectionProblems, mayCarryOptionalData, type CollectableWrite, type CollectionSettings } from './collection-rules';
import { toCollectionSettings } from './privacy-settings.mapper';
import { PrivacySettingsRepository } from './privacy-settings.repository';

/**
 * The data minimisation check of every customer write (CustomerWriter.resolve): values of fields the
 * tenant does not collect are refused per field. Settings are read in the write's own transaction, so a
 * change applies to the next write at once; they are read once per transaction (a batch chunk of 200
 * items costs one primary-key lookup) and not at all for writes that carry no optional data.
 */
@Injectable()
export class DataMinimisation {
  private readonly perTransaction = new WeakMap<EntityManager, Promise<CollectionSettings>>();

  constructor(private readonly settings: PrivacySettingsRepository) {}

  async problems(manager: EntityManager, input: CollectableWrite): Promise<FieldProblem[]> {
    if (!mayCarryOptionalData(input)) return [];
    return collectionProblems(await this.settingsIn(manager), input);
  }

  private settingsIn(manager: EntityManager): Promise<CollectionSettings> {
    let settings = this.perTransaction.get(manager);
    if (!settings) {
      settings = this.settings.find(manager).then((row) => (row ? toCollectionSettings(row) : COLLECT_EVERYTHING));
      this.perTransaction.set(manager, settings);
    }
    return settings;
  }
}
