import JSZip from 'jszip';
import { detectFormat } from './detect-format';

const zip = async (entries: Record<string, string>) => {
  const archive = new JSZip();
  for (const [name, content] of Object.entries(entries)) archive.file(name, content);
  return archive.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
};

describe('detectFormat', () => {
  it('should tell the UPR Info export from the template by the header, whatever the line ends and BOM', () => {
    expect(detectFormat('1-5.csv', Buffer.from('To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session\rAfghanistan,Asia'))).toBe('upr-info-csv');
    expect(detectFormat('mine.csv', Buffer.from('\ufefftext,"state_under_review",response\r\nChad,Ratify,noted\r\n'))).toBe('csv');
    expect(detectFormat('no-extension', Buffer.from('state_under_review,text'))).toBe('csv');
  });

  it('should refuse other CSV files, saying what it read and what it expects', () => {
    expect(() => detectFormat('contacts.csv', Buffer.from('name,email\nAda,ada@example.org\n'))).toThrow(
      'contacts.csv: not a file this import reads (its first line has name,email); expected a UPR Info CSV export (header To,To-Rgrp,To-Org,Text,...), the CSV template (header state_under_review,...,text,...), a UHRI export (.xlsx) or an OHCHR matrix (.docx)',
    );
  });

  it('should refuse the old binary Office formats with advice', () => {
    expect(() => detectFormat('matrix.doc', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toThrow('matrix.doc: an old binary Word or Excel file (.doc, .xls); save it as .docx or .xlsx');
  });

  it('should tell Word from Excel by the content types, by entry names, or failing those by file name', async () => {
    const workbookTypes = '<Types><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>';
    expect(detectFormat('export.zip', await zip({ '[Content_Types].xml': workbookTypes }))).toBe('uhri-xlsx');
    expect(detectFormat('export.zip', await zip({ '_rels/.rels': '<Relationships/>', 'word/document.xml': '<w:document/>' }))).toBe('ohchr-docx');
    expect(detectFormat('matrix.DOCX', (await zip({ 'a.xml': '<a/>' })).subarray(0, 20))).toBe('ohchr-docx');
    await expect(zip({ 'photo.jpg': 'not really' }).then((file) => detectFormat('photos.zip', file))).rejects.toThrow('photos.zip: a ZIP file that is neither a Word (.docx) nor an Excel (.xlsx) document');
  });
});
