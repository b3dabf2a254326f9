// The seed of the migration AddThemes1795961000000 (issue 12): like the migration, never edited
// once landed; a later migration adds or corrects entries. Where each list came from:
//
// - THEMES of the matrices (mostly level 3, two digits, e.g. "D23 Death penalty"): every theme code
//   and name in the two OHCHR matrices of China's reviews kept in shared/data/ohchr-thematic-lists/
//   (2013: A/HRC/25/5, 2018: A/HRC/40/6), read from word/document.xml ("Theme: D23 Death penalty"
//   rows and the theme lines of each recommendation), 87 codes.
// - THEMES, levels 1 and 2 (a letter, a letter and one digit, e.g. "D2 Right to physical and moral
//   integrity"): the Universal Human Rights Index's categories and issues as published on
//   uhri.ohchr.org/search/guide, as seeded by the public repository impactoss/impactoss-server
//   (branch demo-rights, db/seeds.rb, "reference" and "title" of its Human rights taxonomy), plus
//   G2, G6, G9, H3, H4 from the same repository's master seed and the matrices. Where the
//   repository gives two codes one name (its "G5" Internally displaced persons), the master seed's
//   G6 is taken. "S Sustainable Development Goal implementation" is a theme line of the 2018 matrix
//   (its "S16 SDG 16 ..." lines are SDGs, read as such by the parser). The UHRI numbers levels 2 and 3 so that a level-3 code starts with its level-2
//   code: D23 is under D2, which is under D.
// - AFFECTED_GROUPS: UHRI's "Affected persons" list as seeded by impactoss/impactoss-server
//   (master, db/seeds.rb, taxonomy "Affected persons"), 36 groups; LGBTI persons are named as the
//   2018 matrix and the current OHCHR lists name them.
// - SDG_GOALS: the 17 Sustainable Development Goals with the UN's short names (A/RES/70/1);
//   SDG_TARGETS: the numbers of the 169 targets (A/RES/70/1: numbered targets and lettered means of
//   implementation per goal). Their titles are not shipped (null): no short titles are published.
// - THEME_ALIASES: every "Issue" of the UPR Info export (shared/data/upr-info, sessions 1-20 and
//   the voluntary pledges: 54 values) mapped by this project to UHRI theme codes and, where the
//   issue names people, an affected group; then the names of the current UHRI themes (no codes,
//   2020 onward) that have an equivalent here; then a few short names people type ("Torture").
//   UPR Info's "Other" stands for no UHRI theme (known, stored as no theme).
// - AFFECTED_GROUP_ALIASES: spellings of the groups in the matrices and the current OHCHR lists,
//   and a few short names (this project's choice).

/** [code, name]: UHRI themes. */
export const THEMES: readonly (readonly [string, string])[] = [
  ['A', 'General framework of implementation'],
  ['A1', 'Scope of international obligations'],
  ['A12', 'Acceptance of international norms'],
  ['A2', 'Cooperation with human rights mechanisms and institutions'],
  ['A22', 'Cooperation with treaty bodies'],
  ['A23', 'Follow-up to treaty bodies'],
  ['A24', 'Cooperation with special procedures'],
  ['A27', 'Follow-up to Universal Periodic Review (UPR)'],
  ['A28', 'Cooperation with other international mechanisms and institutions'],
  ['A3', 'Inter-State cooperation & development assistance'],
  ['A4', 'Legal, institutional and policy framework'],
  ['A41', 'Constitutional and legislative framework'],
  ['A42', 'Institutions & policies - General'],
  ['A43', 'Human rights policies'],
  ['A44', 'Structure of the national human rights machinery'],
  ['A45', 'National Human Rights Institution (NHRI)'],
  ['A46', 'National Plans of Action on Human Rights (or specific areas)'],
  ['A47', 'Good governance'],
  ['A5', 'Human rights education, trainings and awareness raising'],
  ['A51', 'Human rights education - general'],
  ['A53', 'Professional training in human rights'],
  ['A54', 'Awareness raising and dissemination'],
  ['A6', 'Context, statistics, budget, civil society'],
  ['A61', 'Cooperation with civil society'],
  ['A62', 'Statistics and indicators'],
  ['A63', 'Budget and resources (for human rights implementation)'],
  ['B', 'Universal or cross-cutting issues'],
  ['B1', 'International criminal and humanitarian law'],
  ['B11', 'International humanitarian law'],
  ['B2', 'Right to self-determination'],
  ['B3', 'Equality and non-discrimination'],
  ['B31', 'Equality & non-discrimination'],
  ['B32', 'Racial discrimination'],
  ['B4', 'Right to development'],
  ['B41', 'Right to development'],
  ['B5', 'Right to a remedy'],
  ['B51', 'Right to an effective remedy'],
  ['B52', 'Impunity'],
  ['B53', 'Support to victims and witnesses'],
  ['B6', 'Business & Human Rights'],
  ['B7', 'Human rights and environmental issues'],
  ['B71', 'Human rights and the environment'],
  ['B73', 'Human rights and climate change'],
  ['B8', 'Human rights & counter-terrorism'],
  ['B9', 'Human rights & use of mercenaries'],
  ['D', 'Civil & political rights'],
  ['D1', 'Civil & political rights - general measures of implementation'],
  ['D2', 'Right to physical and moral integrity'],
  ['D21', 'Right to life'],
  ['D23', 'Death penalty'],
  ['D25', 'Prohibition of torture and cruel, inhuman or degrading treatment'],
  ['D26', 'Conditions of detention'],
  ['D27', 'Prohibition of slavery, trafficking'],
  ['D29', 'Domestic violence'],
  ['D3', 'Liberty and security of the person'],
  ['D31', 'Liberty and security - general'],
  ['D32', 'Enforced disappearances'],
  ['D33', 'Arbitrary arrest and detention'],
  ['D4', 'Fundamental freedoms'],
  ['D41', 'Freedom of movement'],
  ['D42', 'Freedom of thought, conscience and religion'],
  ['D43', 'Freedom of opinion and expression'],
  ['D44', 'Right to peaceful assembly'],
  ['D45', 'Freedom of association'],
  ['D46', 'Right to private life, privacy'],
  ['D5', 'Administration of justice'],
  ['D51', 'Administration of justice & fair trial'],
  ['D6', 'Rights related to name, identity, nationality'],
  ['D7', 'Right to participation in public affairs and right to vote'],
  ['D8', 'Rights related to marriage & family'],
  ['E', 'Economic, social and cultural rights'],
  ['E1', 'Economic, social & cultural rights - general measures of implementation'],
  ['E2', 'Right to an adequate standard of living'],
  ['E21', 'Right to an adequate standard of living - general'],
  ['E22', 'Right to food'],
  ['E23', 'Right to adequate housing'],
  ['E24', 'Right to social security'],
  ['E25', 'Human rights & poverty'],
  ['E26', 'Human Rights & drinking water and sanitation'],
  ['E3', 'Labour rights'],
  ['E31', 'Right to work'],
  ['E32', 'Right to just and favourable conditions of work'],
  ['E4', 'Right to health'],
  ['E41', 'Right to health - General'],
  ['E44', 'Health awareness raising, access to information'],
  ['E5', 'Right to education'],
  ['E51', 'Right to education - General'],
  ['E54', 'Technical and vocational education'],
  ['E6', 'Rights to protection of property; financial credit'],
  ['E7', 'Cultural rights'],
  ['F', 'Specific persons or groups'],
  ['F1', 'Women'],
  ['F11', 'Advancement of women'],
  ['F12', 'Discrimination against women'],
  ['F13', 'Violence against women'],
  ['F14', 'Participation of women in political and public life'],
  ['F19', 'Girls'],
  ['F3', 'Children'],
  ['F31', 'Children: definition; general principles; protection'],
  ['F32', 'Children: family environment and alternative care'],
  ['F33', 'Children: protection against exploitation'],
  ['F34', 'Children: Juvenile justice'],
  ['F4', 'Persons with disabilities'],
  ['F41', 'Persons with disabilities: definition, general principles'],
  ['F45', 'Persons with disabilities: independence, inclusion'],
  ['G1', 'Members of minorities'],
  ['G2', 'Lesbian, gay, bisexual, transgender and intersex persons (LGBTI)'],
  ['G3', 'Indigenous peoples'],
  ['G4', 'Migrants'],
  ['G5', 'Refugees & asylum seekers'],
  ['G6', 'Internally displaced persons'],
  ['G9', 'Older persons'],
  ['H1', 'Human rights defenders'],
  ['H3', 'Persons living with HIV/AIDS'],
  ['H4', 'Persons living in rural areas'],
  ['S', 'Sustainable Development Goal implementation'],
];

/** UHRI's affected persons (groups of persons). */
export const AFFECTED_GROUPS: readonly string[] = [
  'Children', 'Children in street situations', 'Disappeared persons', 'Educational staff', 'General', 'Girls',
  'Human rights defenders', 'Indigenous peoples', 'Internally displaced persons', 'Judges, lawyers and prosecutors',
  'Law enforcement / police officials', 'Lesbian, gay, bisexual, transgender and intersex persons', 'Media', 'Medical staff',
  'Mercenaries', 'Migrants', 'Military staff', 'Minorities / racial, ethnic, linguistic, religious or descent-based groups',
  'Non-citizens', 'Older persons', 'Persons affected by armed conflict', 'Persons deprived of their liberty',
  'Persons living in poverty', 'Persons living in rural areas', 'Persons living with HIV/AIDS', 'Persons with disabilities',
  'Prison officials', 'Private security', 'Public officials', 'Refugees & asylum seekers', 'Rural women', 'Social workers',
  'Stateless persons', 'Vulnerable persons/groups', 'Women', 'Youth',
];

/** [goal, UN short name]. */
export const SDG_GOALS: readonly (readonly [number, string])[] = [
  [1, 'No poverty'], [2, 'Zero hunger'], [3, 'Good health and well-being'], [4, 'Quality education'], [5, 'Gender equality'],
  [6, 'Clean water and sanitation'], [7, 'Affordable and clean energy'], [8, 'Decent work and economic growth'],
  [9, 'Industry, innovation and infrastructure'], [10, 'Reduced inequalities'], [11, 'Sustainable cities and communities'],
  [12, 'Responsible consumption and production'], [13, 'Climate action'], [14, 'Life below water'], [15, 'Life on land'],
  [16, 'Peace, justice and strong institutions'], [17, 'Partnerships for the goals'],
];

/** [goal, numbered targets, lettered targets]: goal 1 has 1.1 to 1.5 and 1.a, 1.b. */
const TARGET_COUNTS: readonly (readonly [number, number, number])[] = [
  [1, 5, 2], [2, 5, 3], [3, 9, 4], [4, 7, 3], [5, 6, 3], [6, 6, 2], [7, 3, 2], [8, 10, 2], [9, 5, 3],
  [10, 7, 3], [11, 7, 3], [12, 8, 3], [13, 3, 2], [14, 7, 3], [15, 9, 3], [16, 10, 2], [17, 19, 0],
];

/** The 169 target numbers, "1.1" to "17.19", in the UN's order. */
export const SDG_TARGETS: readonly string[] = TARGET_COUNTS.flatMap(([goal, numbered, lettered]) => [
  ...Array.from({ length: numbered }, (_, i) => `${goal}.${i + 1}`),
  ...Array.from({ length: lettered }, (_, i) => `${goal}.${String.fromCharCode(97 + i)}`),
]);

/**
 * [alias, theme codes (space-separated, may be empty), affected groups ("|"-separated, may be empty)].
 * An alias may stand for several themes ("Freedom of association and peaceful assembly") and add
 * the group of persons it names ("Women's rights").
 */
export const THEME_ALIASES: readonly (readonly [string, string, string])[] = [
  // UPR Info's issues (column Issue), all 54.
  ['Asylum-seekers - refugees', 'G5', 'Refugees & asylum seekers'],
  ['CP rights - general', 'D1', ''],
  ['Civil society', 'A61', ''],
  ['Corruption', 'A47', ''],
  ['Counter-terrorism', 'B8', ''],
  ['Death penalty', 'D23', ''],
  ['Detention', 'D26 D33', 'Persons deprived of their liberty'],
  ['Development', 'B4', ''],
  ['Disabilities', 'F4', 'Persons with disabilities'],
  ['ESC rights - general', 'E1', ''],
  ['Elections', 'D7', ''],
  ['Enforced disappearances', 'D32', 'Disappeared persons'],
  ['Environment', 'B7', ''],
  ['Extrajudicial executions', 'D21', ''],
  ['Freedom of association and peaceful assembly', 'D44 D45', ''],
  ['Freedom of movement', 'D41', ''],
  ['Freedom of opinion and expression', 'D43', ''],
  ['Freedom of religion and belief', 'D42', ''],
  ['Freedom of the press', 'D43', 'Media'],
  ['General', 'A42', ''],
  ['HIV - Aids', 'H3', 'Persons living with HIV/AIDS'],
  ['Human rights defenders', 'H1', 'Human rights defenders'],
  ['Human rights education and training', 'A5', ''],
  ['Human rights violations by state agents', 'D2', 'Law enforcement / police officials'],
  ['Impunity', 'B52', ''],
  ['Indigenous peoples', 'G3', 'Indigenous peoples'],
  ['Internally displaced persons', 'G6', 'Internally displaced persons'],
  ['International humanitarian law', 'B11', ''],
  ['International instruments', 'A12', ''],
  ['Justice', 'D51', ''],
  ['Labour', 'E3', ''],
  ['Migrants', 'G4', 'Migrants'],
  ['Minorities', 'G1', 'Minorities / racial, ethnic, linguistic, religious or descent-based groups'],
  ['NHRI', 'A45', ''],
  ['National plan of action', 'A46', ''],
  ['Other', '', ''],
  ['Poverty', 'E25', 'Persons living in poverty'],
  ['Public security', 'D3', ''],
  ['Racial discrimination', 'B32', ''],
  ['Right to education', 'E5', ''],
  ['Right to food', 'E22', ''],
  ['Right to health', 'E4', ''],
  ['Right to housing', 'E23', ''],
  ['Right to land', 'E6', ''],
  ['Right to water', 'E26', ''],
  ['Rights of the Child', 'F3', 'Children'],
  ['Sexual Orientation and Gender Identity', 'G2', 'Lesbian, gay, bisexual, transgender and intersex persons'],
  ['Special procedures', 'A24', ''],
  ['Technical assistance and cooperation', 'A3', ''],
  ['Torture and other CID treatment', 'D25', ''],
  ['Trafficking', 'D27', ''],
  ['Treaty bodies', 'A22', ''],
  ['UPR process', 'A27', ''],
  ["Women's rights", 'F1', 'Women'],
  // The current UHRI themes (2020 onward, no codes) that have an equivalent above.
  ['Liberty & security of the person', 'D3', ''],
  ['Prohibition of torture & ill-treatment (including cruel, inhuman or degrading treatment)', 'D25', ''],
  ['Human trafficking & contemporary forms of slavery', 'D27', ''],
  ['Arbitrary arrest & detention', 'D33', ''],
  ['Freedom of thought, conscience & religion', 'D42', ''],
  ['Freedom of opinion and expression & access to information', 'D43', ''],
  ['Private life & privacy', 'D46', ''],
  ['Right to participate in public affairs & right to vote', 'D7', ''],
  ['Rights related to name, identity & nationality', 'D6', ''],
  ['Labour rights and right to work', 'E3', ''],
  ['Safe drinking water & sanitation', 'E26', ''],
  ['Land & property rights', 'E6', ''],
  ['Extrajudicial, summary or arbitrary executions', 'D21', ''],
  // Short names people type for the commonest themes (this project's choice).
  ['Torture', 'D25', ''],
  ['Freedom of expression', 'D43', ''],
  ['Education', 'E5', ''],
  ['Health', 'E4', ''],
  ['Housing', 'E23', ''],
];

/** [alias, group]. */
export const AFFECTED_GROUP_ALIASES: readonly (readonly [string, string])[] = [
  ['Lesbian, gay, bisexual and transgender and intersex persons (LGBTI)', 'Lesbian, gay, bisexual, transgender and intersex persons'],
  ['Lesbian, gay, bisexual, transgender and intersex persons (LGBTI)', 'Lesbian, gay, bisexual, transgender and intersex persons'],
  ['LGBTI', 'Lesbian, gay, bisexual, transgender and intersex persons'],
  ['Minorities', 'Minorities / racial, ethnic, linguistic, religious or descent-based groups'],
  ['Journalists', 'Media'],
  ['Refugees and asylum seekers', 'Refugees & asylum seekers'],
  ['Persons with disability', 'Persons with disabilities'],
  ['Detainees', 'Persons deprived of their liberty'],
  // The project's own import template (docs/import-template.csv): UHRI counts them among descent-based groups.
  ['Persons of African descent', 'Minorities / racial, ethnic, linguistic, religious or descent-based groups'],
];
