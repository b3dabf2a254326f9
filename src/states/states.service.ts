import { BadRequestException, HttpStatus, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditLog, type AuditRecord } from '../audit/audit-log';
import { Clock } from '../common/clock';
import { conflict, notFound } from '../common/errors';
import { type PageQuery, pageWindow } from '../common/pagination';
import { isNonStateName } from './state-names';
import { StateDirectory, type StateEntry, type UnknownStateName } from './state-directory';
import { CreateStateAliasDto, mapStateAlias, StateAliasList, StateAliasResponse } from './states.dto';
import { StatesRepository } from './states.repository';

/**
 * The canonical States: what every write maps a State's name to, and what filters accept. The
 * shipped names and aliases change only by migration, so they are read once per process; a
 * coalition's own aliases are read each time a directory is asked for (an import, a write, a filter).
 */
@Injectable()
export class StatesService {
  private shipped: Promise<StateDirectory> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly states: StatesRepository,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  /** The shipped names and aliases: enough to name a stored (canonical) State and its code. */
  shippedDirectory(): Promise<StateDirectory> {
    this.shipped ??= Promise.all([this.states.listStates(), this.states.listShippedAliases()]).then(([states, aliases]) => new StateDirectory(states, aliases));
    // A failed read is not cached: the next call tries again.
    this.shipped.catch(() => (this.shipped = null));
    return this.shipped;
  }

  /** Every spelling the coalition's writes and filters accept: the shipped ones and its own aliases. */
  async directoryFor(coalitionId: number): Promise<StateDirectory> {
    const [shipped, own] = await Promise.all([this.shippedDirectory(), this.states.listCoalitionAliases(coalitionId)]);
    return own.length > 0 ? shipped.withAliases(own) : shipped;
  }

  /**
   * The canonical names of a list a person sent (API, pages), or a 400 naming every unknown one with
   * the closest States: an unknown name is never stored.
   */
  async requireStates(coalitionId: number, field: string, values: readonly string[]): Promise<string[]> {
    const directory = await this.directoryFor(coalitionId);
    const { names, unknown } = directory.normalizeList(values);
    if (unknown.length > 0) throw unknownStates(unknown.map((value) => ({ field, value, suggestions: directory.suggest(value) })));
    return names;
  }

  /** One State (a cycle's State under review): its canonical name, or a 400 with suggestions. */
  async requireState(coalitionId: number, field: string, value: string): Promise<string> {
    const directory = await this.directoryFor(coalitionId);
    const state = isNonStateName(value) ? null : directory.resolve(value);
    if (!state) throw unknownStates([{ field, value, suggestions: directory.suggest(value) }]);
    return state.name;
  }

  /** The canonical States, by name (the alias page's choice of State). */
  async listStates(): Promise<StateEntry[]> {
    return (await this.shippedDirectory()).all();
  }

  /** A page of the coalition's aliases (a coalition has a handful: paged in memory); all of them without `query` (the CLI). */
  async listAliases(coalitionId: number, query?: PageQuery): Promise<StateAliasList> {
    const [directory, rows] = await Promise.all([this.shippedDirectory(), this.states.listCoalitionAliases(coalitionId)]);
    const all = rows.map((row) => mapStateAlias(row, directory.byCode(row.stateCode)));
    if (!query) return { items: all, total: all.length, page: 1, pageSize: Math.max(all.length, 1) };
    const { skip, take } = pageWindow(query);
    return { items: all.slice(skip, skip + take), total: all.length, page: query.page, pageSize: query.pageSize };
  }

  /**
   * Adds a spelling of a State for the coalition's files. Refused when the spelling already names a
   * State (the same one: nothing to add; another one: it would make a name mean two States).
   * `actor` is null for the command line; the audit trail records either.
   */
  async addAlias(coalitionId: number, dto: CreateStateAliasDto, actor: AuditRecord['actor']): Promise<StateAliasResponse> {
    return this.dataSource.transaction(async (manager) => {
      const directory = (await this.shippedDirectory()).withAliases(await this.states.listCoalitionAliases(coalitionId, manager));
      const state = directory.resolve(dto.state);
      if (!state) throw unknownStates([{ field: 'state', value: dto.state, suggestions: directory.suggest(dto.state) }]);
      const existing = directory.resolveName(dto.alias);
      if (existing) {
        throw conflict(`alias: "${dto.alias}" already names ${existing.name} (${existing.code})`, { field: 'alias', value: dto.alias, state: existing.name, stateCode: existing.code });
      }
      const row = await this.states.insertCoalitionAlias({ coalitionId, alias: dto.alias, stateCode: state.code, createdAt: this.clock.now() }, manager);
      await this.audit.record({
        coalitionId, actor, entity: 'state_alias', entityId: row.id, action: 'added', at: row.createdAt, after: { alias: row.alias, stateCode: state.code, state: state.name },
      }, manager);
      return mapStateAlias(row, state);
    });
  }

  async removeAlias(coalitionId: number, id: number, actor: AuditRecord['actor']): Promise<void> {
    const directory = await this.shippedDirectory();
    await this.dataSource.transaction(async (manager) => {
      const row = await this.states.findCoalitionAlias(coalitionId, id, manager);
      if (!row || !(await this.states.deleteCoalitionAlias(coalitionId, id, manager))) throw notFound('State alias', id);
      await this.audit.record({
        coalitionId, actor, entity: 'state_alias', entityId: id, action: 'removed', at: this.clock.now(),
        before: { alias: row.alias, stateCode: row.stateCode, state: directory.byCode(row.stateCode)?.name ?? row.stateCode },
      }, manager);
    });
  }
}

/** 400: the names that match no State, each with its closest States. */
export function unknownStates(unknown: UnknownStateName[]): BadRequestException {
  const list = unknown.map((u) => `"${u.value}"${u.suggestions.length > 0 ? ` (did you mean ${u.suggestions.join(', ')}?)` : ''}`).join('; ');
  return new BadRequestException({
    statusCode: HttpStatus.BAD_REQUEST,
    error: 'Bad Request',
    message: `${unknown[0].field}: not a State: ${list}. Use the UN name, an ISO 3166 code, or add an alias for your coalition (POST /api/v1/admin/state-aliases)`,
    details: unknown.map((u) => ({ field: u.field, value: u.value, problem: 'not a UN member or observer State, nor an alias of one', suggestions: u.suggestions })),
  });
}

export type { StateEntry };
