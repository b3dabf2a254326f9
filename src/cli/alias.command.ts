import { INestApplicationContext } from '@nestjs/common';
import { Command } from 'commander';
import { CreateStateAliasDto } from '../states/states.dto';
import { StatesService } from '../states/states.service';
import { validateInput } from './cli-error';
import { coalitionFor } from './import.command';
import { parseId } from './parse-id';

type Boot = () => Promise<INestApplicationContext>;
type Print = (line: string) => void;

/** `alias add|list|remove`: a coalition's own spellings of States, as /api/v1/admin/state-aliases. */
export function registerAliasCommands(program: Command, boot: Boot, print: Print): void {
  const alias = program.command('alias').description("A coalition's own spellings of States (its files' names that the shipped list does not know)");
  alias
    .command('add')
    .description('Make a spelling name a State for the coalition: imports, filters and forms then accept it')
    .requiredOption('--state <code or name>', 'the State: its ISO 3166 alpha-2 or alpha-3 code, or any of its names')
    .requiredOption('--alias <text>', 'the spelling the files use')
    .option('--coalition <name>', 'the coalition; needed when there are several')
    .action(async (options: { state: string; alias: string; coalition?: string }) => {
      const dto = validateInput(CreateStateAliasDto, { state: options.state, alias: options.alias }, (field) => `--${field}`);
      const app = await boot();
      const coalitionId = await coalitionFor(app, options.coalition);
      const added = await app.get(StatesService).addAlias(coalitionId, dto, null);
      print(`Alias ${added.id}: "${added.alias}" now names ${added.state} (${added.stateCode}). Import the file again.`);
    });
  alias
    .command('list')
    .description("List the coalition's aliases")
    .option('--coalition <name>', 'the coalition; needed when there are several')
    .action(async (options: { coalition?: string }) => {
      const app = await boot();
      const { items } = await app.get(StatesService).listAliases(await coalitionFor(app, options.coalition));
      if (items.length === 0) print('No aliases: only the shipped names and spellings are known.');
      for (const item of items) print(`${item.id}\t${item.alias}\t${item.stateCode}\t${item.state}`);
    });
  alias
    .command('remove')
    .description("Remove one of the coalition's aliases (rows already imported keep their State)")
    .requiredOption('--id <id>', 'the alias (its id, from "alias list")')
    .option('--coalition <name>', 'the coalition; needed when there are several')
    .action(async (options: { id: string; coalition?: string }) => {
      const id = parseId(options.id, '--id', 'alias');
      const app = await boot();
      await app.get(StatesService).removeAlias(await coalitionFor(app, options.coalition), id, null);
      print(`Alias ${id} removed.`);
    });
}
