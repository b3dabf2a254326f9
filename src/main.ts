import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '../config/app.config';
import { FirstRunService } from './accounts/first-run.service';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { loadExcelJs } from './common/lazy-modules';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  // Migrations run inside create(): the schema is up to date before the first request.
  const app = await NestFactory.create(AppModule.register(config), { bodyParser: false });
  configureApp(app, config);
  // exceljs is lazy so that command-line runs start without it, but loading it takes the event loop
  // for 0.3-0.4 s (over 1 s on a busy machine): loaded by the first XLSX report, it stalled
  // every other request then. The server loads it once, before it answers anything.
  await loadExcelJs();
  await app.listen(config.http.port);
  const where = config.database.type === 'sqlite' ? `SQLite ${config.database.path}` : 'PostgreSQL';
  // After listening, so the setup address works by the time someone reads it; right after the
  // "listening" line, so that line is the sign the setup line (if any) has been printed.
  const setupNotice = await app.get(FirstRunService).startNotice(config.http.appUrl);
  new Logger('Bootstrap').log(`upr-followup listening on ${config.http.appUrl} (port ${config.http.port}, ${where}); API docs at /api/docs`);
  if (setupNotice) new Logger('Setup').warn(setupNotice);
}

void bootstrap();
