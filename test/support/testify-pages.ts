import { crc32, deflateSync } from 'node:zlib';
import { type Catalogue, LANGUAGES, readCatalogue, type Language } from '../../src/i18n/i18n';

/** A real 1×1 PNG. */
export function png(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.from([0, 255, 0, 0]))), chunk('IEND', Buffer.alloc(0)),
  ]);
}

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/** Every key of a catalogue with its text, "form.title" → "Tell us what happened". */
export function flatten(catalogue: Catalogue, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalogue)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

export const CATALOGUES: Record<Language, Map<string, string>> = Object.fromEntries(LANGUAGES.map((l) => [l, flatten(readCatalogue(l))])) as Record<Language, Map<string, string>>;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#x27': "'", '#39': "'", '#x3D': '=', '#x60': '`', nbsp: ' ' };

/** What a person reads or hears of a page: its text between tags, and its labels in attributes (title, aria-label, alt, placeholder). */
export function pageTexts(html: string): string[] {
  const decode = (text: string) => text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => ENTITIES[name] ?? (name.startsWith('#x') ? String.fromCodePoint(parseInt(name.slice(2), 16)) : name.startsWith('#') ? String.fromCodePoint(Number(name.slice(1))) : whole));
  const body = html.replace(/<!--[\s\S]*?-->/g, '').replace(/<(script|style)[\s\S]*?<\/\1>/gi, '');
  const texts = body.split(/<[^>]*>/).map((part) => decode(part).replace(/\s+/g, ' ').trim());
  const attributes = [...body.matchAll(/\s(?:title|aria-label|alt|placeholder)="([^"]*)"/g)].map((m) => decode(m[1]).trim());
  return [...texts, ...attributes].filter((text) => text !== '');
}

/** The pieces of a catalogue text around its {{values}}, long enough to mean something on their own. */
export function fixedPieces(text: string): string[] {
  return text.split(/\{\{\w+\}\}/).map((piece) => piece.trim()).filter((piece) => piece.length >= 8);
}
