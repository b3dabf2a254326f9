import { CsvScanner } from './csv-scanner';

/** Feeds the text in pieces of `size` characters, then the end; what the scanner read and where it handed over. */
function scanAll(text: string, size: number, maxRecordChars = 1000) {
  const scanner = new CsvScanner(maxRecordChars);
  const records: { line: number; fields: string[] }[] = [];
  for (let at = 0; at <= text.length; at += size) {
    const last = at + size > text.length;
    const { records: read, handover } = scanner.scan(text.slice(at, at + size), last);
    records.push(...read.map(({ line, fields }) => ({ line, fields })));
    if (handover) return { records, handover };
    if (last) break;
  }
  return { records, handover: undefined };
}

describe('CsvScanner', () => {
  const text = 'a,"b, ""c"""\r\n\r\n"multi\r\nline",x\rlast,\n"",z';

  it('should read quoted fields, doubled quotes, every line end and empty lines, with each record\'s first line, however the text is cut', () => {
    for (const size of [1, 2, 3, 5, 8, 64]) {
      expect(scanAll(text, size)).toEqual({
        records: [
          { line: 1, fields: ['a', 'b, "c"'] },
          { line: 3, fields: ['multi\r\nline', 'x'] },
          { line: 5, fields: ['last', ''] },
          { line: 6, fields: ['', 'z'] },
        ],
        handover: undefined,
      });
    }
  });

  it('should read doubled quotes side by side and at either end of a value, however the text is cut', () => {
    for (const size of [1, 2, 3, 4, 7, 64]) {
      expect(scanAll('"""""","""x"""\n"a""""b",""""\n', size)).toEqual({
        records: [{ line: 1, fields: ['""', '"x"'] }, { line: 2, fields: ['a""b', '"'] }],
        handover: undefined,
      });
    }
  });

  it('should hand over from a record with a stray quote, with its line, having read the records before it', () => {
    // The text handed over is what has come so far: the reader sends csv-parse the pieces that follow.
    expect(scanAll('ok,1\nbad "quote",2\nafter,3\n', 4)).toEqual({ records: [{ line: 1, fields: ['ok', '1'] }], handover: { line: 2, text: 'bad "qu' } });
    expect(scanAll('ok,1\nbad "quote",2\nafter,3\n', 64)).toEqual({
      records: [{ line: 1, fields: ['ok', '1'] }],
      handover: { line: 2, text: 'bad "quote",2\nafter,3\n' },
    });
  });

  it('should hand over text after a closing quote, a quote never closed and a record over the limit', () => {
    expect(scanAll('"a"b,1\n', 64).handover).toEqual({ line: 1, text: '"a"b,1\n' });
    expect(scanAll('x\n"open,1\n', 3).handover).toEqual({ line: 2, text: '"open,1\n' });
    expect(scanAll('short\nmuch too long a line\n', 4, 10)).toEqual({ records: [{ line: 1, fields: ['short'] }], handover: { line: 2, text: expect.stringMatching(/^much too/) } });
  });
});
