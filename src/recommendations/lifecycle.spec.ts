import { allowedNextStatuses, refuseTransition } from './lifecycle';
import { STATUSES } from '../vocabulary/recommendation.vocabulary';

describe('lifecycle', () => {
  it('should never offer not_assessed or the current status as a next status', () => {
    for (const status of STATUSES) {
      const next = allowedNextStatuses(status);
      expect(next).not.toContain('not_assessed');
      expect(next).not.toContain(status);
    }
  });

  it('should offer every other assessed status from not_assessed', () => {
    expect(allowedNextStatuses('not_assessed')).toEqual([
      'not_started', 'in_progress', 'partially_implemented', 'fully_implemented', 'not_implemented', 'regressed',
    ]);
  });

  it('should refuse re-entering not_assessed with the allowed statuses', () => {
    const refusal = refuseTransition('in_progress', 'not_assessed', 0);
    expect(refusal?.reason).toMatch(/cannot return to not_assessed/);
    expect(refusal?.allowedNextStatuses).toContain('regressed');
  });

  it('should refuse implemented statuses without cited evidence and allow them with it', () => {
    expect(refuseTransition('in_progress', 'fully_implemented', 0)?.reason).toMatch(/needs at least one evidence/);
    expect(refuseTransition('in_progress', 'partially_implemented', 0)?.reason).toMatch(/needs at least one evidence/);
    expect(refuseTransition('in_progress', 'fully_implemented', 1)).toBeNull();
  });

  it('should refuse a change to the same status', () => {
    expect(refuseTransition('regressed', 'regressed', 3)?.reason).toMatch(/already regressed/);
  });

  it('should allow moving backwards, e.g. fully_implemented to regressed', () => {
    expect(refuseTransition('fully_implemented', 'regressed', 0)).toBeNull();
  });
});
