import { INestApplicationContext } from '@nestjs/common';
import { Command } from 'commander';
import { CreateStateAliasDto } from '../states/states.dto';
import { StatesService } from '../states/states.service';
import { CreateVocabularyAliasDto } from '../themes/themes.dto';
import { ThemesService } from '../themes/themes.service';
import { CliError, validateInput } from './cli-error';
import { coalitionFor } from './import.command';
import { parseId } from './parse-id';

type Boot = () => Promise<INestApplicationContext>;
type Print = (line: string) => void;

const KINDS = ['state', 'theme', 'group'];

/**
 * `alias add|list|remove`: a coalition's own names of States (as /api/v1/admin/state-aliases) and of
 * themes and groups of persons (as /api/v1/admin/theme-aliases).
 */
export function registerAliasCommands(program: Command, boot: Boot, print: Print): void {
  const alias = program.command('alias').description("A coalition's own names of States, themes and groups of persons (its files' names that the shipped lists do not know)");
  alias
    .command('add')
    .description('Make a name stand for a State, a theme or a group of persons for the coalition: imports, filters and forms then accept it')
    .option('--state <code or name>', 'the State: its ISO 3166 alpha-2 or alpha-3 code, or any of its names')
    .option('--theme <code or name>', 'or the theme: its UHRI code ("D23") or name')
    .option('--group <name>', 'or the group of persons: its UHRI name ("Women")')
    .requiredOption('--alias <text>', 'the name the files use')
    .option('--coalition <name>', 'the coalition; needed when there are several')
    .action(async (options: { state?: string; theme?: string; group?: string; alias: string; coalition?: string }) => {
      const given = [options.state, options.theme, options.group].filter((o) => o !== undefined).length;
      if (given !== 1) throw new CliError('give one of --state, --theme and --group');
      if (options.state !== undefined) {
        const dto = validateInput(CreateStateAliasDto, { state: options.state, alias: options.alias }, (field) => `--${field}`);
        const app = await boot();
        const coalitionId = await coalitionFor(app, options.coalition);
        const added = await app.get(StatesService).addAlias(coalitionId, dto, null);
        print(`Alias ${added.id}: "${added.alias}" now names ${added.state} (${added.stateCode}). Import the file again.`);
        return;
      }
      const input = options.theme !== undefined ? { theme: options.theme, alias: options.alias } : { group: options.group, alias: options.alias };
      const dto = validateInput(CreateVocabularyAliasDto, input, (field) => `--${field}`);
      const app = await boot();
      const coalitionId = await coalitionFor(app, options.coalition);
      const added = await app.get(ThemesService).addAlias(coalitionId, dto, null);
      print(`Alias ${added.id} (${added.kind}): "${added.alias}" now names ${added.label}. Import the file again.`);
    });
  alias
    .command('list')
    .description("List the coalition's aliases: States (id, alias, code, State), then themes and groups (id, alias, theme|group, what it names)")
    .option('--coalition <name>', 'the coalition; needed when there are several')
    .action(async (options: { coalition?: string }) => {
      const app = await boot();
      const coalitionId = await coalitionFor(app, options.coalition);
      const [{ items: states }, { items: vocabulary }] = await Promise.all([app.get(StatesService).listAliases(coalitionId), app.get(ThemesService).listAliases(coalitionId)]);
      if (states.length === 0 && vocabulary.length === 0) print('No aliases: only the shipped names and spellings are known.');
      for (const item of states) print(`${item.id}\t${item.alias}\t${item.stateCode}\t${item.state}`);
      for (const item of vocabulary) print(`${item.id}\t${item.alias}\t${item.kind}\t${item.label}`);
    });
  alias
    .command('remove')
    .description("Remove one of the coalition's aliases (rows already imported keep their State, themes and groups)")
    .requiredOption('--id <id>', 'the alias (its id, from "alias list")')
    .option('--kind <state|theme|group>', 'what the alias names, as "alias list" shows it', 'state')
    .option('--coalition <name>', 'the coalition; needed when there are several')
    .action(async (options: { id: string; kind: string; coalition?: string }) => {
      const id = parseId(options.id, '--id', 'alias');
      if (!KINDS.includes(options.kind)) throw new CliError(`--kind: one of ${KINDS.join(', ')}`);
      const app = await boot();
      const coalitionId = await coalitionFor(app, options.coalition);
      if (options.kind === 'state') await app.get(StatesService).removeAlias(coalitionId, id, null);
      else await app.get(ThemesService).removeAlias(coalitionId, id, null);
      print(`Alias ${id} removed.`);
    });
}
