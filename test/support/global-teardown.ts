import { dropMigratedTemplate } from './migrated-template';

export default async function globalTeardown(): Promise<void> {
  await dropMigratedTemplate();
}
