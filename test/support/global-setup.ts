// Jest's globalSetup: check the machine first (prerequisites.ts), then migrate the template the
// suites copy their databases from (migrated-template.ts).
import { createMigratedTemplate } from './migrated-template';
import checkPrerequisites from './prerequisites';

export default async function globalSetup(): Promise<void> {
  await checkPrerequisites();
  await createMigratedTemplate();
}
