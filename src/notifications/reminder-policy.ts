import { DEFAULT_REMINDER_POLICY, type ReminderPolicySetting } from './reminder-policy.entity';
import type { ReminderPolicy } from './reminder-schedule';

export interface CoalitionReminderPolicy extends ReminderPolicy {
  overdueNotice: boolean;
}

/** The policy of a coalition's row, or the defaults when it has none. */
export function policyOf(setting: Omit<ReminderPolicySetting, 'coalitionId'> | null): CoalitionReminderPolicy {
  const { offsetsDays, hour, overdueNotice } = setting ?? DEFAULT_REMINDER_POLICY;
  return {
    offsetsDays: offsetsDays
      .split(',')
      .filter((part) => part.trim() !== '')
      .map((part) => Number(part.trim()))
      .filter((n) => Number.isInteger(n) && n >= 0),
    hour,
    overdueNotice,
  };
}
