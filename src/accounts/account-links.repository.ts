import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { AccountLink, type AccountLinkPurpose } from './account-link.entity';

@Injectable()
export class AccountLinksRepository {
  constructor(private readonly dataSource: DataSource) {}

  insertLink(link: Pick<AccountLink, 'userId' | 'purpose' | 'tokenHash' | 'expiresAt'>, manager: EntityManager): Promise<AccountLink> {
    return manager.save(manager.create(AccountLink, { ...link, usedAt: null }));
  }

  findLinkByTokenHash(tokenHash: string, purpose: AccountLinkPurpose, manager: EntityManager = this.dataSource.manager): Promise<AccountLink | null> {
    return manager.findOneBy(AccountLink, { tokenHash, purpose });
  }

  /**
   * Spends a link: true for the one request that marked it used. A conditional UPDATE rather than
   * read-then-write, so two tabs submitting the same link at once cannot both succeed.
   */
  async claimLink(id: number, at: Date, manager: EntityManager): Promise<boolean> {
    const result = await manager.update(AccountLink, { id, usedAt: IsNull() }, { usedAt: at });
    return (result.affected ?? 0) === 1;
  }

  /** Spends every unused link of this purpose: a new invitation or reset link replaces the older ones. */
  async spendOpenLinks(userId: number, purpose: AccountLinkPurpose, at: Date, manager: EntityManager): Promise<void> {
    await manager.update(AccountLink, { userId, purpose, usedAt: IsNull() }, { usedAt: at });
  }

  /** The newest invitation link of each user of the coalition (for the People page's "invited" column). */
  async findLatestInvitationsInCoalition(coalitionId: number): Promise<Map<number, AccountLink>> {
    const links = await this.dataSource.manager
      .createQueryBuilder(AccountLink, 'l')
      .innerJoin('l.user', 'u')
      .where('u.coalition_id = :coalitionId AND l.purpose = :purpose', { coalitionId, purpose: 'invitation' })
      .orderBy('l.id', 'ASC')
      .getMany();
    return new Map(links.map((link) => [link.userId, link]));
  }
}
