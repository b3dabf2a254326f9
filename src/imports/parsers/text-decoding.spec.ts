import iconv from 'iconv-lite';
import { Readable } from 'node:stream';
import { chooseEncoding, decodeSingleByte, TextDecodingStream } from './text-decoding';

async function decode(bytes: Buffer, chunkSize = 1000): Promise<{ text: string; encoding: string | null; bytesReported: number }> {
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += chunkSize) chunks.push(bytes.subarray(start, start + chunkSize));
  let bytesReported = 0;
  const decoder = new TextDecodingStream((bytesRead) => (bytesReported = bytesRead));
  Readable.from(chunks).pipe(decoder);
  let text = '';
  for await (const part of decoder) text += part;
  return { text, encoding: decoder.encoding, bytesReported };
}

describe('TextDecodingStream', () => {
  it('should read Mac Roman when the first accent comes after 100 KB of ASCII and falls across a chunk boundary', async () => {
    const text = 'To,Text\r'.padEnd(100_003, 'a') + '\rMorocco,"Instance Equité - Réconciliation, Hissène Habré"\r';
    const result = await decode(iconv.encode(text, 'macintosh'), 999);
    expect(result).toEqual({ text, encoding: 'macintosh', bytesReported: iconv.encode(text, 'macintosh').length });
  });

  it('should read UTF-8, drop its BOM and keep characters split between chunks whole', async () => {
    const text = 'state_under_review,text\nCôte d’Ivoire,São Tomé — “Ratify”\n';
    const result = await decode(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 7);
    expect(result).toMatchObject({ text, encoding: 'utf8' });
  });

  it('should read Windows-1252 as Excel for Windows saves it, typographic quotes included', async () => {
    const text = 'state_under_review,text\r\nFrance,"Garantir l’accès à la justice, déjà « prévu »"\r\n';
    await expect(decode(iconv.encode(text, 'windows-1252'))).resolves.toMatchObject({ text, encoding: 'windows-1252' });
  });

  it('should pass plain ASCII through untouched', async () => {
    await expect(decode(Buffer.from('a,b\r1,2\r'))).resolves.toMatchObject({ text: 'a,b\r1,2\r', encoding: 'utf8' });
  });

  it('should trust chardet for a non-Latin script', () => {
    const cyrillic = iconv.encode('Ратифицировать Конвенцию о правах инвалидов и обеспечить её выполнение. '.repeat(10), 'windows-1251');
    expect(chooseEncoding(cyrillic, { carriageReturnLineEnds: false })).toBe('windows-1251');
  });

  it('should fall back on the line ends when both Western candidates read equally well', () => {
    // 0x8E is "é" in Mac Roman and "Ž" in Windows-1252: a letter either way.
    expect(chooseEncoding(Buffer.from([0x8e]), { carriageReturnLineEnds: true })).toBe('macintosh');
    expect(chooseEncoding(Buffer.from([0x8e]), { carriageReturnLineEnds: false })).toBe('windows-1252');
  });

  it('should read every byte of Mac Roman and Windows-1252 as iconv-lite does', () => {
    const everyByte = Buffer.from(Array.from({ length: 256 }, (_, byte) => byte));
    for (const encoding of ['macintosh', 'windows-1252'] as const) {
      expect(decodeSingleByte(everyByte, encoding)).toBe(iconv.decode(everyByte, encoding));
      expect(decodeSingleByte(Buffer.from('plain ASCII, 1-2'), encoding)).toBe('plain ASCII, 1-2');
    }
  });
});
