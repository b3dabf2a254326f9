import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

type Storage = ReturnType<typeof getMetadataStorage>;
type Grouped = Record<string, ValidationMetadata[]>;

const INSTALLED = Symbol('validation metadata cache');

/**
 * class-validator looks up a class's rules afresh on every validation: it filters the class's rules,
 * then walks every class that has rules (hundreds here: every DTO) asking whether it is an ancestor,
 * then groups the rules by property. On a status change that was about a quarter of the validation
 * pipe's time (docs/benchmarks.md). The rules only change when a decorated class is defined, so the
 * answers are kept per class and options, and forgotten whenever a rule or constraint is added.
 * Callers only read what these return (ValidationExecutor, the pipe), so sharing the arrays is safe.
 */
export function cacheValidationMetadata(storage: Storage = getMetadataStorage()): void {
  const marked = storage as Storage & { [INSTALLED]?: true };
  if (marked[INSTALLED]) return;
  marked[INSTALLED] = true;

  let targets = new Map<unknown, Map<string, ValidationMetadata[]>>();
  let groupings = new WeakMap<ValidationMetadata[], Grouped>();
  const forget = () => {
    targets = new Map();
    groupings = new WeakMap();
  };

  const getTargets = storage.getTargetValidationMetadatas.bind(storage);
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    // A schema by name (no class) or validation groups: rare here, left uncached.
    if (typeof target !== 'function' || schema || (groups && groups.length > 0)) return getTargets(target, schema, always, strictGroups, groups);
    const key = `${always}:${strictGroups}`;
    let byOptions = targets.get(target);
    if (!byOptions) targets.set(target, (byOptions = new Map()));
    let found = byOptions.get(key);
    if (!found) byOptions.set(key, (found = getTargets(target, schema, always, strictGroups, groups)));
    return found;
  };

  const groupByPropertyName = storage.groupByPropertyName.bind(storage);
  storage.groupByPropertyName = (metadata) => {
    let grouped = groupings.get(metadata);
    if (!grouped) groupings.set(metadata, (grouped = groupByPropertyName(metadata)));
    return grouped;
  };

  for (const method of ['addValidationMetadata', 'addConstraintMetadata', 'addValidationSchema'] as const) {
    const add = (storage[method] as (arg: unknown) => void).bind(storage);
    (storage as unknown as Record<string, (arg: unknown) => void>)[method] = (arg) => {
      forget();
      add(arg);
    };
  }
}
