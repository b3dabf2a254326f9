import { Global, Module } from '@nestjs/common';
import { Translator, translator } from './i18n';

/** The one Translator, injectable anywhere (pages now; the signed-in application and emails next). */
@Global()
@Module({ providers: [{ provide: Translator, useFactory: translator }], exports: [Translator] })
export class I18nModule {}
