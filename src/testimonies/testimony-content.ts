import { seal, unseal } from './testimony-cipher';
import type { TestimonyContent } from './testimonies.dto';

const CONTEXT = 'upr-testimony-content';

export function sealContent(dataKey: Buffer, content: TestimonyContent): string {
  return seal(dataKey, Buffer.from(JSON.stringify(content), 'utf8'), CONTEXT).toString('base64');
}

export function openContent(dataKey: Buffer, sealed: string): TestimonyContent {
  return JSON.parse(unseal(dataKey, Buffer.from(sealed, 'base64'), CONTEXT).toString('utf8')) as TestimonyContent;
}
