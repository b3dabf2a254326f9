import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';
import { AuditLog } from '../audit/audit-log';
import { Clock } from '../common/clock';
import { keyIdOf, unwrapDataKey, wrapDataKey } from './testimony-cipher';
import { TestimoniesRepository } from './testimonies.repository';

export interface RotationSummary {
  rewrapped: number;
  /** Live testimonies wrapped by neither key (they stay unreadable until their key is configured). */
  otherKeys: number;
  newKeyId: string;
  previousKeyId: string;
}

const BATCH = 200;

/**
 * Moves every testimony from TESTIMONY_KEY_PREVIOUS to TESTIMONY_KEY by re-wrapping its data key:
 * the content and files, sealed with the data keys, are not touched. Batches of 200 rows, each in
 * its own transaction, so an interrupted rotation is resumed by running it again (each row names
 * the key that wraps it). docs/testimony.md, "Rotating TESTIMONY_KEY".
 */
@Injectable()
export class KeyRotationService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly testimonies: TestimoniesRepository,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async rotate(): Promise<RotationSummary> {
    const { key, previousKey } = this.config.testimony;
    if (!key || !previousKey) throw new Error('intake rotate-key needs the new key in TESTIMONY_KEY and the old one in TESTIMONY_KEY_PREVIOUS');
    const newKeyId = keyIdOf(key);
    const previousKeyId = keyIdOf(previousKey);
    if (newKeyId === previousKeyId) throw new Error('TESTIMONY_KEY and TESTIMONY_KEY_PREVIOUS are the same key: put the new key in TESTIMONY_KEY');
    let rewrapped = 0;
    for (let afterId = 0; ;) {
      const batch = await this.dataSource.transaction(async (manager) => {
        const rows = await this.testimonies.wrappedByKey(previousKeyId, afterId, BATCH, manager);
        const perCoalition = new Map<number, number>();
        for (const row of rows) {
          await this.testimonies.rewrap(row.id, wrapDataKey(key, unwrapDataKey(previousKey, row.wrappedKey!)), newKeyId, manager);
          perCoalition.set(row.coalitionId, (perCoalition.get(row.coalitionId) ?? 0) + 1);
        }
        const at = this.clock.now();
        for (const [coalitionId, count] of perCoalition) {
          await this.audit.record({ coalitionId, actor: null, entity: 'intake', entityId: null, action: 'key_rotated', at, after: { rewrapped: count, keyId: newKeyId } }, manager);
        }
        return rows;
      });
      rewrapped += batch.length;
      if (batch.length < BATCH) break;
      afterId = batch[batch.length - 1].id;
    }
    const counts = await this.testimonies.countByKey();
    const otherKeys = [...counts.entries()].filter(([id]) => id !== newKeyId).reduce((sum, [, n]) => sum + n, 0);
    return { rewrapped, otherKeys, newKeyId, previousKeyId };
  }
}
