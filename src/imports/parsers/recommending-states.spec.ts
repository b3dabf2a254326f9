import { namesStates, splitRecommendingStates, splitStateList, takeTrailingStates, withoutRepeatedStates } from './recommending-states';

describe('recommending States at the end of a recommendation', () => {
  it('should match brackets from the end, so that names with brackets stay whole', () => {
    expect(takeTrailingStates('Ratify ICCPR (Ghana)(Iran (Islamic Republic of)) (Venezuela (Bolivarian Republic of))')).toEqual({
      text: 'Ratify ICCPR',
      states: ['Ghana', 'Iran (Islamic Republic of)', 'Venezuela (Bolivarian Republic of)'],
    });
  });

  it('should leave brackets that do not name a State in the text', () => {
    expect(splitRecommendingStates('Implement the National Human Rights Action Plan (2016–2020) (Kyrgyzstan);')).toEqual({
      text: 'Implement the National Human Rights Action Plan (2016–2020)', states: ['Kyrgyzstan'],
    });
    expect(splitRecommendingStates('Ratify the Optional Protocol (OP-CAT)')).toEqual({ text: 'Ratify the Optional Protocol (OP-CAT)', states: [] });
    expect(splitRecommendingStates('Strengthen the NHRI (Paris Principles); and ratify CAT (France).')).toEqual({
      text: 'Strengthen the NHRI (Paris Principles); and ratify CAT', states: ['France'],
    });
  });

  it('should keep each wording with its States when several share one paragraph', () => {
    expect(splitRecommendingStates('Ratify ICCPR (Albania); Expedite ratification of ICCPR (Uruguay) (Mali);Timely ratify ICCPR (Japan);')).toEqual({
      text: 'Ratify ICCPR (Albania); Expedite ratification of ICCPR (Uruguay) (Mali);Timely ratify ICCPR (Japan)',
      states: ['Albania', 'Uruguay', 'Mali', 'Japan'],
    });
  });

  it('should drop States repeated after a UHRI text only when the column lists them', () => {
    expect(withoutRepeatedStates('Consider ratifying the ICRMW (Philippines);', ['Philippines'])).toBe('Consider ratifying the ICRMW');
    expect(withoutRepeatedStates('Implement the Istanbul Convention (Council of Europe)', ['France'])).toBe('Implement the Istanbul Convention (Council of Europe)');
  });

  it('should split a bracket of several States (current OHCHR lists) at semicolons and commas outside brackets', () => {
    expect(splitStateList("Chile; Côte d'Ivoire")).toEqual(['Chile', "Côte d'Ivoire"]);
    expect(splitStateList('Bolivia (Plurinational State of), Brazil; Micronesia (Federated States of)')).toEqual(['Bolivia (Plurinational State of)', 'Brazil', 'Micronesia (Federated States of)']);
    expect(splitStateList('Korea, Republic of; Tanzania, United Republic of')).toEqual(['Korea, Republic of', 'Tanzania, United Republic of']);
    expect(splitStateList('Venezuela (Bolivarian Republic of)')).toEqual(['Venezuela (Bolivarian Republic of)']);
  });

  it('should take a long bracket of States whole, and leave one that names none', () => {
    const many = 'Argentina; Costa Rica; Saint Vincent and the Grenadines; United Kingdom of Great Britain and Northern Ireland';
    expect(takeTrailingStates(`Protect defenders (${many})`, namesStates)).toEqual({ text: 'Protect defenders', states: [many] });
    expect(takeTrailingStates(`Protect defenders (${many})`).states).toEqual([]);
    expect(namesStates('CEDAW; ICCPR')).toBe(false);
    expect(namesStates('Ghana; 2016')).toBe(false);
  });
});
