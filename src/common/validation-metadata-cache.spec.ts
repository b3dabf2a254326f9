import { IsInt, IsString, MaxLength, MetadataStorage, validateSync, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { cacheValidationMetadata } from './validation-metadata-cache';

// Each test caches a storage of its own, so the global one (and other suites) are left as they are.
function storageWithCache(): MetadataStorage {
  const storage = new MetadataStorage();
  cacheValidationMetadata(storage);
  return storage;
}

function rule(target: object, propertyName: string, name: string): ValidationMetadata {
  // What the storage reads of a rule; the rest matters only to the validator.
  return { type: ValidationTypes.CUSTOM_VALIDATION, name, target, propertyName, constraints: [], groups: [], each: false } as unknown as ValidationMetadata;
}

describe('cacheValidationMetadata', () => {
  it('answers the same rules as class-validator, the second time without looking again', () => {
    const storage = storageWithCache();
    class Dto {}
    storage.addValidationMetadata(rule(Dto, 'note', 'a'));
    storage.addValidationMetadata(rule(Dto, 'status', 'b'));
    const first = storage.getTargetValidationMetadatas(Dto, '', false, false);
    expect(first.map((m) => m.propertyName)).toEqual(['note', 'status']);
    expect(storage.getTargetValidationMetadatas(Dto, '', false, false)).toBe(first);
    expect(Object.keys(storage.groupByPropertyName(first))).toEqual(['note', 'status']);
    expect(storage.groupByPropertyName(first)).toBe(storage.groupByPropertyName(first));
  });

  it('forgets what it kept when a rule is added later, to the class or to a subclass defined later', () => {
    const storage = storageWithCache();
    class Base {}
    storage.addValidationMetadata(rule(Base, 'note', 'a'));
    expect(storage.getTargetValidationMetadatas(Base, '', false, false)).toHaveLength(1);
    storage.addValidationMetadata(rule(Base, 'status', 'b'));
    expect(storage.getTargetValidationMetadatas(Base, '', false, false)).toHaveLength(2);

    class Child extends Base {}
    storage.addValidationMetadata(rule(Child, 'extra', 'c'));
    expect(storage.getTargetValidationMetadatas(Child, '', false, false).map((m) => m.propertyName).sort()).toEqual(['extra', 'note', 'status']);
  });

  it('keeps the options apart: a rule limited to a group is left out under strictGroups only', () => {
    const storage = storageWithCache();
    class Dto {}
    const grouped = rule(Dto, 'note', 'a');
    grouped.groups = ['admin'];
    storage.addValidationMetadata(grouped);
    expect(storage.getTargetValidationMetadatas(Dto, '', false, true)).toHaveLength(0);
    expect(storage.getTargetValidationMetadatas(Dto, '', false, false)).toHaveLength(1);
    expect(storage.getTargetValidationMetadatas(Dto, '', false, true)).toHaveLength(0);
    expect(storage.getTargetValidationMetadatas(Dto, '', false, true, ['admin'])).toHaveLength(1);
  });

  it('leaves validation with the global storage as it was: a DTO defined after the cache is validated by its rules', () => {
    cacheValidationMetadata();
    class Later {
      @IsString() @MaxLength(3) note!: string;
      @IsInt() count!: number;
    }
    const good = Object.assign(new Later(), { note: 'abc', count: 2 });
    const bad = Object.assign(new Later(), { note: 'abcd', count: 2.5 });
    expect(validateSync(good)).toEqual([]);
    expect(validateSync(bad).map((e) => e.property).sort()).toEqual(['count', 'note']);
    // And again, from what was kept.
    expect(validateSync(bad).map((e) => e.property).sort()).toEqual(['count', 'note']);
  });
});
