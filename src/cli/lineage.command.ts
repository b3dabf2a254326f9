import { INestApplicationContext } from '@nestjs/common';
import { Command, Option } from 'commander';
import { UsersService } from '../accounts/users.service';
import type { AuthUser } from '../auth/auth-user';
import { DecideLineageDto, type LineageResponse } from '../lineage/lineage.dto';
import { LineageService } from '../lineage/lineage.service';
import { LINEAGE_DECISIONS } from '../vocabulary/lineage.vocabulary';
import { CliError, validateInput } from './cli-error';
import { parseId } from './parse-id';

type Boot = () => Promise<INestApplicationContext>;
type Print = (line: string) => void;

/** `lineage suggest|show|decide`: the lineage of GET/POST /api/v1/recommendations/:id/lineage. */
export function registerLineageCommands(program: Command, boot: Boot, print: Print): void {
  const lineage = program.command('lineage').description('Likely predecessors of recommendations in earlier cycles');
  lineage
    .command('suggest')
    .description('Compute predecessor suggestions for every recommendation of a cycle (decisions already made are kept)')
    .requiredOption('--cycle <id>', 'the cycle (its id)')
    .action(async (options: { cycle: string }) => {
      const cycleId = parseId(options.cycle, '--cycle');
      const app = await boot();
      const service = app.get(LineageService);
      const found = await service.idsOfCycle(cycleId);
      if (!found) throw new CliError(`--cycle: cycle ${cycleId} was not found`);
      const summary = await service.suggestForRecommendations(found.ids);
      print(`Compared ${summary.recommendations} recommendations of cycle ${cycleId} with the earlier cycles of the same State: ${summary.suggestions} suggestions stored.`);
    });
  lineage
    .command('show')
    .description('Show the predecessor chain and the suggestions of a recommendation (computed on first view)')
    .requiredOption('--recommendation <id>', 'the recommendation (its id)')
    .requiredOption('--email <email>', 'the user to act as: their coalition is the one searched')
    .option('--refresh', 'compute the suggestions again')
    .action(async (options: { recommendation: string; email: string; refresh?: boolean }) => {
      const id = parseId(options.recommendation, '--recommendation', 'recommendation');
      const app = await boot();
      const auth = await actingUser(app, options.email);
      printLineage(print, await app.get(LineageService).get(auth, id, Boolean(options.refresh)));
    });
  lineage
    .command('decide')
    .description('Confirm a suggested predecessor (it becomes predecessorId) or reject it (never suggested again)')
    .requiredOption('--recommendation <id>', 'the recommendation (its id)')
    .requiredOption('--candidate <id>', 'the recommendation of an earlier cycle')
    .addOption(new Option('--decision <decision>', 'confirm or reject').choices([...LINEAGE_DECISIONS]).makeOptionMandatory())
    .requiredOption('--email <email>', 'the coordinator or admin deciding (recorded with the decision)')
    .action(async (options: { recommendation: string; candidate: string; decision: string; email: string }) => {
      const id = parseId(options.recommendation, '--recommendation', 'recommendation');
      const dto = validateInput(DecideLineageDto, { candidateId: Number(options.candidate), decision: options.decision }, (field) => (field === 'candidateId' ? '--candidate' : `--${field}`));
      const app = await boot();
      const auth = await actingUser(app, options.email);
      if (auth.role === 'member') throw new CliError(`--email: ${auth.email} is a member; lineage decisions need a coordinator or an admin`);
      const result = await app.get(LineageService).decide(auth, id, dto);
      print(dto.decision === 'confirm'
        ? `Recommendation ${dto.candidateId} is now the predecessor of recommendation ${id}.`
        : `Recommendation ${dto.candidateId} is rejected as a predecessor of recommendation ${id} and will not be suggested again.`);
      printLineage(print, result);
    });
}

async function actingUser(app: INestApplicationContext, email: string): Promise<AuthUser> {
  const user = await app.get(UsersService).findByEmail(email.trim());
  if (!user) throw new CliError(`--email: no user has the email ${email}`);
  if (!user.active) throw new CliError(`--email: ${user.email} is deactivated`);
  return { id: user.id, coalitionId: user.coalitionId, role: user.role, email: user.email, name: user.name };
}

function printLineage(print: Print, lineage: LineageResponse): void {
  print(`Recommendation ${lineage.recommendationId}: predecessor ${lineage.predecessorId ?? 'none'}.`);
  if (lineage.chain.length > 0) {
    print(`Chain: ${lineage.chain.map((a) => `${a.id} (cycle ${a.cycle.number}${a.paragraph ? `, ${a.paragraph}` : ''}, ${a.status})`).join(' <- ')}`);
  }
  if (lineage.suggestions.length === 0) {
    print('No suggestions: no recommendation of an earlier cycle of this State is alike enough (similarity 0.5 or more).');
    return;
  }
  print('Suggestions (similarity, state, candidate, cycle, paragraph, status, text):');
  for (const s of lineage.suggestions) {
    print(`  ${s.score.toFixed(3)}  ${s.state.padEnd(9)}  ${s.candidateId}  cycle ${s.cycle.number}  ${s.paragraph ?? '-'}  ${s.status}  ${s.excerpt}`);
  }
}
