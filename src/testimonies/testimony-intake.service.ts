import { BadRequestException, HttpStatus, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';
import { AccountsRepository } from '../accounts/accounts.repository';
import { AuditLog } from '../audit/audit-log';
import { Clock } from '../common/clock';
import { NotificationOutbox } from '../notifications/notification-outbox';
import { ThemesService } from '../themes/themes.service';
import { AppLabels } from '../i18n/app-labels';
import { DEFAULT_LANGUAGE, Translator } from '../i18n/i18n';
import { IntakeSettingsService } from './intake-settings.service';
import { hashReceipt, newReceipt } from './receipt';
import { AddedResponse, AddToTestimonyDto, ReceiptResponse, SubmitTestimonyDto, WithdrawnResponse, WithdrawTestimonyDto } from './testimonies.dto';
import { TestimoniesRepository } from './testimonies.repository';
import type { Testimony } from './testimony.entity';
import { openContent, sealContent } from './testimony-content';
import { TestimonyFileStore } from './testimony-file-store';
import { TestimonyKeys } from './testimony-keys';
import { testimonyNoticeEmail } from './testimony-notice';
import type { IntakeUpload } from './testimony-upload-storage';
import { TESTIMONY_LINKS, type TestimonyLinks } from './testimony-links';


const fileRow = (upload: IntakeUpload, at: Date) => ({ storageName: upload.storageName, mimeType: upload.mimeType, sizeBytes: upload.size, addedAt: at });

const optional = (value: string | undefined) => (value && value.trim() !== '' ? value : null);

/**
 * The public side of intake, signed out: a person sends a testimony and gets a receipt, with which
 * they may add to it or withdraw it. Nothing here answers with, logs or emails what they wrote.
 */
@Injectable()
export class TestimonyIntakeService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly settings: IntakeSettingsService,
    private readonly testimonies: TestimoniesRepository,
    private readonly keys: TestimonyKeys,
    private readonly files: TestimonyFileStore,
    private readonly accounts: AccountsRepository,
    private readonly outbox: NotificationOutbox,
    private readonly audit: AuditLog,
    private readonly themes: ThemesService,
    private readonly clock: Clock,
    @Inject(TESTIMONY_LINKS) private readonly links: TestimonyLinks,
    private readonly translator: Translator,
  ) {}

  /**
   * The files arrive before this runs, sealed under the request's key in temporary files
   * (testimony-upload.interceptor.ts): that key becomes the testimony's data key. They are renamed
   * into place once the rows committed; on any error the interceptor deletes them.
   */
  async submit(slug: string, dto: SubmitTestimonyDto, uploads: IntakeUpload[]): Promise<ReceiptResponse> {
    const intake = await this.settings.openIntake(slug);
    const receipt = newReceipt();
    // The hidden field: a person never sees it, a naive bot fills it. The bot is told it succeeded
    // (a receipt like any other, stored nowhere), so it learns nothing to adapt to.
    if (optional(dto.website)) return { receipt };
    // Unknown names are refused (400 naming them) before anything is written, as for a recommendation.
    const tags = await this.themes.requireTags(intake.coalitionId, dto.themes ?? [], dto.affectedPersons ?? []);
    const dataKey = uploads[0]?.dataKey ?? this.keys.newDataKey();
    const at = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      const testimony = await this.testimonies.insertTestimony({
        coalitionId: intake.coalitionId, state: 'new', consent: dto.consent, language: dto.language, receiptHash: hashReceipt(receipt)!,
        wrappedKey: dataKey.wrapped, keyId: dataKey.keyId, fileCount: uploads.length, receivedAt: at, updatedAt: at, withdrawnAt: null,
        sealed: sealContent(dataKey.key, {
          text: dto.text, place: optional(dto.place), date: optional(dto.date), agency: optional(dto.agency), contact: optional(dto.contact),
          themes: tags.themes ?? [], affectedPersons: tags.affectedPersons ?? [], additions: [],
        }),
      }, manager);
      await this.testimonies.insertFiles(uploads.map((upload) => ({ ...fileRow(upload, at), sealedKey: null, testimonyId: testimony.id })), manager);
      await this.audit.record({
        coalitionId: intake.coalitionId, actor: null, entity: 'testimony', entityId: testimony.id, action: 'received', at,
        after: { consent: dto.consent, language: dto.language, files: uploads.length },
      }, manager);
      await this.queueNotices(testimony, manager);
    });
    await this.files.commit(uploads.map((upload) => upload.storageName));
    return { receipt };
  }

  /**
   * More text, more files, or both, to the testimony the receipt names. The files were sealed under
   * a key of the request (the testimony was not known yet): that key is kept with each file's row,
   * sealed by the testimony's data key.
   */
  async addTo(slug: string, dto: AddToTestimonyDto, uploads: IntakeUpload[]): Promise<AddedResponse> {
    const intake = await this.settings.openIntake(slug);
    const receiptHash = this.receiptHashOf(dto.receipt);
    if (optional(dto.website)) return { added: true };
    if (!optional(dto.text) && uploads.length === 0) {
      throw badInput('text', 'add some text, or attach files in the multipart field "files"');
    }
    const at = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      const testimony = await this.findByReceipt(intake.coalitionId, receiptHash, manager);
      const dataKey = this.keys.unwrap(testimony.wrappedKey!, testimony.keyId);
      const content = openContent(dataKey, testimony.sealed!);
      if (optional(dto.text)) content.additions.push({ text: dto.text!, at: at.toISOString() });
      await this.testimonies.insertFiles(uploads.map((upload) => ({
        ...fileRow(upload, at), sealedKey: this.files.sealFileKey(dataKey, upload.dataKey.key, upload.storageName), testimonyId: testimony.id,
      })), manager);
      await this.testimonies.updateSealed(testimony.id, sealContent(dataKey, content), testimony.fileCount + uploads.length, at, manager);
      await this.audit.record({
        coalitionId: intake.coalitionId, actor: null, entity: 'testimony', entityId: testimony.id, action: 'added_to', at,
        after: { text: Boolean(optional(dto.text)), files: uploads.length },
      }, manager);
    });
    await this.files.commit(uploads.map((upload) => upload.storageName));
    return { added: true };
  }

  /**
   * Destroys the content, the files, the wrapped data key, the receipt's hash, the coordinator's
   * tags and excerpt, and its links to recommendations; the row keeps only
   * that a testimony was withdrawn, and when. The receipt then answers 404 like one never issued.
   */
  async withdraw(slug: string, dto: WithdrawTestimonyDto): Promise<WithdrawnResponse> {
    const intake = await this.settings.openIntake(slug);
    const receiptHash = this.receiptHashOf(dto.receipt);
    const outcome = await this.dataSource.transaction(async (manager) => {
      const testimony = await this.findByReceipt(intake.coalitionId, receiptHash, manager);
      const files = (await this.testimonies.filesOf(testimony.id, manager)).map((file) => file.storageName);
      const at = this.clock.now();
      await this.testimonies.eraseContent(testimony.id, at, manager);
      // Its links to recommendations go with it (tombstoned evidence items), in the same commit.
      await this.links.removeAllOf(intake.coalitionId, testimony.id, at, manager);
      await this.audit.record({
        coalitionId: intake.coalitionId, actor: null, entity: 'testimony', entityId: testimony.id, action: 'withdrawn', at,
        before: { state: testimony.state }, after: { state: 'withdrawn' },
      }, manager);
      return { withdrawnAt: at, files };
    });
    await this.files.remove(outcome.files);
    await this.testimonies.flushDeleted();
    return { withdrawn: true, withdrawnAt: outcome.withdrawnAt.toISOString() };
  }

  private receiptHashOf(receipt: string): string {
    const hash = hashReceipt(receipt);
    if (!hash) throw badInput('receipt', 'a receipt is 32 letters and digits in groups of four, as it was shown when the testimony was sent');
    return hash;
  }

  private async findByReceipt(coalitionId: number, receiptHash: string, manager: EntityManager): Promise<Testimony> {
    const testimony = await this.testimonies.findByReceiptHashForUpdate(coalitionId, receiptHash, manager);
    if (!testimony) throw new NotFoundException({ statusCode: HttpStatus.NOT_FOUND, error: 'Not Found', message: 'No testimony sent here has this receipt' });
    return testimony;
  }

  /**
   * "A new testimony arrived" to each active coordinator (the admins when there is none), into the
   * outbox with the testimony. Not delivered at once: the dispatcher sends it on its next run after
   * five minutes (the outbox's fallback for account emails), so the person's answer never waits
   * for a mail server, and the email's time does not pin down the moment the testimony was sent.
   */
  private async queueNotices(testimony: Testimony, manager: EntityManager): Promise<void> {
    const people = (await this.accounts.listUsersInCoalition(testimony.coalitionId)).filter((user) => user.active);
    const coordinators = people.filter((user) => user.role === 'coordinator');
    const recipients = coordinators.length > 0 ? coordinators : people.filter((user) => user.role === 'admin');
    const coalition = await this.accounts.findCoalitionById(testimony.coalitionId, manager);
    for (const recipient of recipients) {
      const key = `testimony-arrived:${testimony.id}:${recipient.id}`;
      // In the recipient's language, whatever the language of the testimony.
      const labels = new AppLabels(this.translator, recipient.language ?? DEFAULT_LANGUAGE);
      const content = testimonyNoticeEmail({
        recipientName: recipient.name, coalitionName: coalition?.name ?? labels.t('accountEmail.yourCoalition'), url: `${this.config.http.appUrl}/testimonies/${testimony.id}`,
      }, labels);
      await this.outbox.enqueueAccountEmail({ key, coalitionId: testimony.coalitionId, recipientId: recipient.id, ...content }, this.clock.now(), manager);
    }
  }
}

function badInput(field: string, problem: string): BadRequestException {
  return new BadRequestException({ statusCode: HttpStatus.BAD_REQUEST, error: 'Bad Request', message: `${field}: ${problem}`, details: [{ field, problem }] });
}
