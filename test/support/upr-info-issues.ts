// The 54 distinct values of the column "Issue" of the UPR Info export kept in ../shared/data/upr-info/
// (1-5.csv, 6-9.csv, 10-13.csv, 14-17.csv, 17-20.csv and voluntary.csv: the public repository
// rochelleterman/uprs at commit 986898e9, v.2/Data/CSVs/), read as the parser reads them (Mac Roman,
// a cell's issues split at commas, each trimmed), with the number of rows naming each. Copied here
// so that the vocabulary test runs where the shared data is absent; test/themes-vocabulary.spec.ts
// checks the copy against the files where they are present.
export const UPR_INFO_ISSUES: Readonly<Record<string, number>> = {
  'Asylum-seekers - refugees': 671, 'CP rights - general': 694, 'Civil society': 873, 'Corruption': 244, 'Counter-terrorism': 157,
  'Death penalty': 1763, 'Detention': 2595, 'Development': 876, 'Disabilities': 1476, 'ESC rights - general': 1294, 'Elections': 257,
  'Enforced disappearances': 854, 'Environment': 182, 'Extrajudicial executions': 247, 'Freedom of association and peaceful assembly': 732,
  'Freedom of movement': 105, 'Freedom of opinion and expression': 1244, 'Freedom of religion and belief': 967, 'Freedom of the press': 992,
  'General': 693, 'HIV - Aids': 259, 'Human rights defenders': 625, 'Human rights education and training': 1708,
  'Human rights violations by state agents': 584, 'Impunity': 385, 'Indigenous peoples': 804, 'Internally displaced persons': 188,
  'International humanitarian law': 463, 'International instruments': 8572, 'Justice': 3234, 'Labour': 1876, 'Migrants': 1819,
  'Minorities': 1890, 'NHRI': 1540, 'National plan of action': 658, 'Other': 1009, 'Poverty': 921, 'Public security': 282,
  'Racial discrimination': 1601, 'Right to education': 2083, 'Right to food': 266, 'Right to health': 1289, 'Right to housing': 242,
  'Right to land': 183, 'Right to water': 172, 'Rights of the Child': 7133, 'Sexual Orientation and Gender Identity': 932,
  'Special procedures': 1610, 'Technical assistance and cooperation': 1116, 'Torture and other CID treatment': 3143, 'Trafficking': 1511,
  'Treaty bodies': 1295, 'UPR process': 656, "Women's rights": 7602,
};
