import { INestApplicationContext } from '@nestjs/common';
import { Command } from 'commander';
import { EnableIntakeDto } from '../testimonies/testimonies.dto';
import { IntakeSettingsService } from '../testimonies/intake-settings.service';
import { KeyRotationService } from '../testimonies/key-rotation.service';
import { CliError, validateInput } from './cli-error';
import { coalitionFor } from './import.command';

type Boot = () => Promise<INestApplicationContext>;
type Print = (line: string) => void;

/** `intake enable|disable|rotate-key`: a coalition's People's UPR intake, and TESTIMONY_KEY's rotation. */
export function registerIntakeCommands(program: Command, boot: Boot, print: Print): void {
  const intake = program.command('intake').description("People's UPR testimony intake (docs/testimony.md)");
  intake
    .command('enable')
    .description("Open the coalition's public intake at /api/v1/public/testimonies/SLUG (needs TESTIMONY_KEY)")
    .requiredOption('--coalition <name>', 'the coalition')
    .requiredOption('--slug <slug>', 'the intake address: 3 to 60 lower-case letters, digits and dashes')
    .action(async (options: { coalition: string; slug: string }) => {
      const dto = validateInput(EnableIntakeDto, { slug: options.slug }, (field) => `--${field}`);
      const app = await boot();
      const coalitionId = await coalitionFor(app, options.coalition);
      const settings = await app.get(IntakeSettingsService).enable(coalitionId, dto, null);
      print(`Intake of "${options.coalition}" is open: POST ${settings.submitPath}`);
    });
  intake
    .command('disable')
    .description("Close the coalition's public intake (its address answers 404; testimonies received stay)")
    .requiredOption('--coalition <name>', 'the coalition')
    .action(async (options: { coalition: string }) => {
      const app = await boot();
      const coalitionId = await coalitionFor(app, options.coalition);
      const settings = await app.get(IntakeSettingsService).disable(coalitionId, null);
      print(`Intake of "${options.coalition}" is closed${settings.slug ? ` (its address was ${settings.slug})` : ''}.`);
    });
  intake
    .command('rotate-key')
    .description('Re-wrap every testimony\'s data key: the old key in TESTIMONY_KEY_PREVIOUS, the new one in TESTIMONY_KEY')
    .action(async () => {
      const app = await boot();
      const summary = await app.get(KeyRotationService).rotate().catch((error: Error) => {
        throw new CliError(error.message);
      });
      print(`Re-wrapped ${summary.rewrapped} testimonies from key ${summary.previousKeyId} to key ${summary.newKeyId}.`);
      if (summary.otherKeys > 0) print(`Warning: ${summary.otherKeys} testimonies are wrapped by neither key and stay unreadable until their key is configured.`);
      else print('Every testimony is now wrapped by TESTIMONY_KEY: remove TESTIMONY_KEY_PREVIOUS from the configuration and destroy the old key.');
    });
}
