import { CreateCoreSchema1795953000000 } from './1795953000000-create-core-schema';
import { AddRecommendationFullTextSearch1795953100000 } from './1795953100000-add-recommendation-full-text-search';
import { AddNotificationOutbox1795954100000 } from './1795954100000-add-notification-outbox';

/** In order. Listed explicitly so the compiled app, the CLI and Jest run exactly the same set. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const MIGRATIONS: Function[] = [
  CreateCoreSchema1795953000000,
  AddRecommendationFullTextSearch1795953100000,
  AddNotificationOutbox1795954100000,
];
