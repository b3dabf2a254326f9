import { normalizeText } from '../../recommendations/text-key';
import { collapseWhiteSpace } from './text-values';

describe('collapseWhiteSpace and normalizeText', () => {
  // What both must give: every run of white space one space, none at either end.
  const collapsed = (value: string) => value.replace(/\s+/g, ' ').trim();
  const values = [
    'Ratify the Convention', 'Ratify the Convention ', ' Ratify', '  Ratify  the\tConvention \r\n', 'a\u00a0b ', '\u2028a  b\u3000',
    'a\r\nb', '', ' ', '\t\n', 'a ' + 'b '.repeat(50), 'x'.repeat(300) + ' ',
    // A plain space at either end only, alone or with white space inside to collapse.
    ' a', 'a b ', ' a b', ' a ', '  ', 'a  b ', ' a\tb', 'a \u00a0', '\u00a0a b', 'a\ufeff', '\ufeff a', 'a \n',
  ];

  it.each(values)('should collapse %j as a replace of every white-space run and a trim would', (value) => {
    expect(collapseWhiteSpace(value)).toBe(collapsed(value));
    expect(normalizeText(value)).toBe(collapsed(value));
  });
});
