import { INestApplicationContext } from '@nestjs/common';
import { Command, Option } from 'commander';
import { DataSource } from 'typeorm';
import { CreateUserDto } from '../accounts/accounts.dto';
import { TokensService } from '../accounts/tokens.service';
import { UsersService } from '../accounts/users.service';
import { ROLES } from '../auth/role';
import { loadConfig } from '../../config/app.config';
import type { DatabaseConfig } from '../../config/database.config';
import { MailTransport } from '../notifications/mail-transport';
import { OutboxAdminService } from '../notifications/outbox-admin.service';
import { registerAliasCommands } from './alias.command';
import { registerBackupCommand } from './backup.command';
import { CliError, validateInput } from './cli-error';
import { registerCycleCommands } from './cycle.command';
import { registerImportCommand } from './import.command';
import { registerIntakeCommands } from './intake.command';
import { registerLineageCommands } from './lineage.command';
import { registerReportCommand } from './report.command';

type Boot = () => Promise<INestApplicationContext>;
type Print = (line: string) => void;

/**
 * The command tree. Every command boots the application context first, which brings the database
 * up to date exactly as the server does.
 */
export function buildProgram(boot: Boot, print: Print, databaseConfig: () => DatabaseConfig = () => loadConfig().database): Command {
  const program = new Command('upr-followup')
    .description('Command line of upr-followup (npm run cli -- <command>)')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('migrate')
    .description('Bring the database schema up to date (the server and every command also do this at start)')
    .action(async () => {
      const app = await boot();
      const dataSource = app.get(DataSource);
      const rows: { name: string }[] = await dataSource.query(`SELECT name FROM migrations ORDER BY id`);
      print(`Database is up to date: ${rows.length} migrations applied, latest ${rows.at(-1)?.name ?? 'none'}.`);
    });

  const user = program.command('user').description('Manage users');
  user
    .command('create')
    .description('Create a user; the coalition is created if it does not exist yet')
    .requiredOption('--email <email>', 'email address (the login)')
    .requiredOption('--name <name>', 'display name')
    .addOption(new Option('--role <role>', 'role').choices([...ROLES]).makeOptionMandatory())
    .requiredOption('--password <password>', 'password, at least 12 characters')
    .option('--coalition <name>', 'coalition name; needed unless exactly one coalition exists')
    .action(async (options: { email: string; name: string; role: string; password: string; coalition?: string }) => {
      const dto = validateInput(CreateUserDto, { email: options.email, name: options.name, role: options.role, password: options.password }, (f) => `--${f}`);
      const app = await boot();
      const coalitionName = options.coalition?.trim() || (await onlyCoalition(app));
      const { user: created, coalition, coalitionCreated } = await app.get(UsersService).createWithCoalition(dto, coalitionName);
      if (coalitionCreated) print(`Created coalition "${coalition.name}" (id ${coalition.id}).`);
      print(`Created ${created.role} ${created.email} (id ${created.id}) in coalition "${coalition.name}".`);
      print(`Next: npm run cli -- token create --email ${created.email}`);
    });

  const token = program.command('token').description('Manage API tokens');
  token
    .command('create')
    .description('Create an API token for a user and print it once')
    .requiredOption('--email <email>', 'the user')
    .option('--label <label>', 'what the token is for', 'command line')
    .action(async (options: { email: string; label: string }) => {
      const app = await boot();
      const found = await app.get(UsersService).findByEmail(options.email.trim());
      if (!found) throw new CliError(`--email: no user has the email ${options.email}`);
      if (!found.active) throw new CliError(`--email: ${found.email} is deactivated`);
      const { token: secret, record } = await app.get(TokensService).create(found.id, options.label.slice(0, 100));
      print(`Token ${record.id} for ${found.email} (shown once; store it now):`);
      print(secret);
      print(`Use it as: curl -H "Authorization: Bearer ${secret}" http://localhost:3000/api/v1/me`);
    });

  token
    .command('revoke')
    .description('Revoke one API token of a user')
    .requiredOption('--email <email>', 'the user')
    .requiredOption('--id <id>', 'the token id (as printed by token create)')
    .action(async (options: { email: string; id: string }) => {
      const app = await boot();
      const found = await app.get(UsersService).findByEmail(options.email.trim());
      if (!found) throw new CliError(`--email: no user has the email ${options.email}`);
      const id = Number(options.id);
      if (!Number.isSafeInteger(id) || id < 1) throw new CliError('--id: must be a positive whole number');
      await app.get(TokensService).revoke({ id: found.id, coalitionId: found.coalitionId, role: found.role, email: found.email, name: found.name }, id);
      print(`Token ${id} of ${found.email} is revoked.`);
    });

  const notifications = program.command('notifications').description('Reminder and notice emails');
  notifications
    .command('dispatch')
    .description('Send every email that is due now (the server also does this every NOTIFY_POLL_SECONDS) and print a summary')
    .action(async () => {
      const app = await boot();
      const summary = await app.get(OutboxAdminService).dispatchNow();
      print(`Sent ${summary.emailsSent} emails carrying ${summary.notificationsSent} notifications via ${app.get(MailTransport).describe()}.`);
      print(`Retrying later: ${summary.retried}. Failed: ${summary.failed}. Suppressed: ${summary.suppressed}. Cancelled as stale or unwanted: ${summary.cancelled}.`);
    });
  notifications
    .command('status')
    .description('Count notifications and emails by state')
    .action(async () => {
      const app = await boot();
      const { notifications: byState, emails } = await app.get(OutboxAdminService).status();
      const show = (counts: Record<string, number>) => Object.entries(counts).map(([state, n]) => `${state} ${n}`).join(', ') || 'none';
      print(`Notifications: ${show(byState)}`);
      print(`Emails: ${show(emails)}`);
      print(`Mail goes to: ${app.get(MailTransport).describe()}`);
    });

  registerImportCommand(program, boot, print);
  registerCycleCommands(program, boot, print);
  registerLineageCommands(program, boot, print);
  registerAliasCommands(program, boot, print);
  registerReportCommand(program, boot, print);
  registerIntakeCommands(program, boot, print);
  registerBackupCommand(program, databaseConfig, print);

  return program;
}

async function onlyCoalition(app: INestApplicationContext): Promise<string> {
  const coalitions = await app.get(UsersService).listCoalitions();
  if (coalitions.length === 1) return coalitions[0].name;
  if (coalitions.length === 0) throw new CliError('--coalition: name the coalition for the first user, e.g. --coalition "US Human Rights Network"');
  throw new CliError(`--coalition: several coalitions exist (${coalitions.map((c) => c.name).join(', ')}); say which`);
}
