import { spreadsheetSafe } from './spreadsheet-safe';

describe('spreadsheetSafe', () => {
  it('should prefix an apostrophe to cells a spreadsheet would run as a formula', () => {
    for (const value of ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\t=1', '\r=1', '=HYPERLINK("https://evil.example","x")']) {
      expect(spreadsheetSafe(value)).toBe(`'${value}`);
    }
  });

  it('should leave every other cell as it is', () => {
    for (const value of ['Ratify the OP-CAT', '26.49', '', ' =not first', "'already quoted", 'a=b']) {
      expect(spreadsheetSafe(value)).toBe(value);
    }
  });
});
