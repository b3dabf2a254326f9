import { Coalition } from '../accounts/coalition.entity';
import type { ReminderPolicy } from './reminder-schedule';

export interface CoalitionReminderPolicy extends ReminderPolicy {
  overdueNotice: boolean;
}

export function policyOf(coalition: Pick<Coalition, 'reminderOffsetsDays' | 'reminderHour' | 'overdueNotice'>): CoalitionReminderPolicy {
  const offsetsDays = coalition.reminderOffsetsDays
    .split(',')
    .filter((part) => part.trim() !== '')
    .map((part) => Number(part.trim()))
    .filter((n) => Number.isInteger(n) && n >= 0);
  return { offsetsDays, hour: coalition.reminderHour, overdueNotice: coalition.overdueNotice };
}
