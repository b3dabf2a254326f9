import Handlebars from 'handlebars';
import { RESPONSES } from '../vocabulary/recommendation.vocabulary';
import { barChart, STATUS_COLORS, THEME_COLOR } from './report-charts';
import type { ReportRecommendation, ReportSummary } from './reports.dto';
import { cycleLabel } from '../vocabulary/cycle.vocabulary';

/** What a cycle-close report adds at the top of the cycle's report. */
export interface CloseSection {
  closedAt: string;
  nextCycleLabel: string;
  nextCycleId: number;
  nextCycleCreated: boolean;
  carriedOver: number;
  alreadyInNextCycle: number;
  leftBehind: number;
  deadlinesCompleted: number;
}

/** Themes drawn in the chart; all of them are in the table below it. */
const CHART_THEMES = 15;

// One handlebars environment of our own, without helpers that could bypass escaping. Every value
// reaches the page through {{ }}, which escapes it; the templates never use {{{ }}}. (The CSS is a
// constant of this file, written into the template itself.)
const hb = Handlebars.create();

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1a202c;margin:2rem auto;max-width:1120px;padding:0 1rem;line-height:1.45}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.2rem;border-bottom:2px solid #2b6cb0;padding-bottom:.2rem;margin-top:2.2rem}
.meta{color:#4a5568;margin:0}.note{color:#4a5568;font-size:.9rem}
.figures{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1rem}.figure{border:1px solid #cbd5e0;border-radius:6px;padding:.5rem .9rem;min-width:9rem}
.figure b{display:block;font-size:1.5rem}
.close{background:#ebf8ff;border:1px solid #90cdf4;border-radius:6px;padding:.75rem 1rem;margin-top:1rem}
table{border-collapse:collapse;width:100%;font-size:.88rem;margin-top:.5rem}
th,td{border-bottom:1px solid #e2e8f0;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#edf2f7}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.nowrap{white-space:nowrap}
svg.chart{max-width:100%;height:auto;display:block;margin:.5rem 0}
svg.chart text{font-family:inherit;font-size:12px;fill:#1a202c;dominant-baseline:middle}
table.list{table-layout:fixed}table.list td{overflow-wrap:anywhere}
.w-para{width:7%}.w-text{width:40%}.w-states{width:13%}.w-resp{width:9%}.w-status{width:10%}.w-ev{width:6%}.w-note{width:15%}
@media print{html{font-size:10px}body{margin:0;max-width:none}h2{break-after:avoid}tr,svg{break-inside:avoid}}
`;

hb.registerPartial('chart', `<svg class="chart" role="img" aria-label="{{title}}" width="{{width}}" height="{{height}}" viewBox="0 0 {{width}} {{height}}" xmlns="http://www.w3.org/2000/svg">
<title>{{title}}</title>
{{#each bars}}<g><title>{{fullLabel}}: {{value}}</title><text x="{{../labelX}}" y="{{textY}}" text-anchor="end">{{label}}</text><rect x="{{../barX}}" y="{{y}}" width="{{barWidth}}" height="{{../barHeight}}" rx="2" fill="{{color}}"></rect><text x="{{valueX}}" y="{{textY}}">{{value}}</text></g>
{{/each}}</svg>`);

const HEAD = hb.compile(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}}</title>
<style>${STYLE}</style>
</head><body>
<h1>{{title}}</h1>
<p class="meta">{{meta}}</p>
<p class="meta">Generated {{generatedAt}} UTC by upr-followup.</p>
{{#if participationNote}}<p class="close"><strong>{{participationNote}}</strong></p>{{/if}}
{{#if close}}<div class="close"><strong>Cycle closed {{close.closedAt}} UTC.</strong>
{{close.carriedOver}} unfinished recommendations carried into {{close.nextCycleLabel}} (cycle id {{close.nextCycleId}}{{#if close.nextCycleCreated}}, created by this close{{/if}}){{#if close.alreadyInNextCycle}}; {{close.alreadyInNextCycle}} were already there as recurring recommendations{{/if}}.
They are not copied: each keeps its status, evidence and history, and the next cycle counts them apart from the recommendations it receives.
{{close.leftBehind}} fully implemented recommendations stay in this cycle. Open deadlines marked done by the close: {{close.deadlinesCompleted}}.</div>{{/if}}
<div class="figures">{{#each figures}}<div class="figure"><b>{{value}}</b>{{label}}</div>{{/each}}</div>

{{#if pledgeSentence}}<p class="note">{{pledgeSentence}}</p>{{/if}}
{{#if carriedSentence}}<p class="note">{{carriedSentence}}</p>{{/if}}
<h2>Implementation status</h2>
{{> chart statusChart}}
<table><thead><tr><th>Status</th><th class="num">Recommendations</th><th class="num">Share</th></tr></thead><tbody>
{{#each byStatus}}<tr><td>{{label}}</td><td class="num">{{count}}</td><td class="num">{{share}}</td></tr>{{/each}}
</tbody></table>

<h2>Implementation by the State's response</h2>
<p>{{rateSentence}}</p>
<table><thead><tr><th>Response</th><th class="num">Recommendations</th><th class="num">Assessed</th><th class="num">Not assessed yet</th><th class="num">Fully implemented</th><th class="num">Partially implemented</th><th class="num">Implementation rate</th></tr></thead><tbody>
{{#each rates}}<tr><td>{{label}}</td><td class="num">{{recommendations}}</td><td class="num">{{assessed}}</td><td class="num">{{notAssessed}}</td><td class="num">{{fullyImplemented}}</td><td class="num">{{partiallyImplemented}}</td><td class="num">{{rate}}</td></tr>{{/each}}
</tbody></table>
<p class="note">Implementation rate: the share of the assessed recommendations that are fully or partially implemented; recommendations not assessed yet are left out (– when none was assessed).</p>

<h2>Themes</h2>
{{#if themeChart.bars.length}}{{> chart themeChart}}{{#if moreThemes}}<p class="note">The chart shows the {{chartThemes}} most frequent themes; all {{themeCount}} are in the table.</p>{{/if}}
<table><thead><tr><th>Theme</th><th class="num">Recommendations</th></tr></thead><tbody>
{{#each byTheme}}<tr><td>{{theme}}</td><td class="num">{{count}}</td></tr>{{/each}}
</tbody></table>{{else}}<p>No themes recorded.</p>{{/if}}

<h2>Recommending States</h2>
{{#if byRecommendingState.length}}<table><thead><tr><th>State</th><th>Code</th><th class="num">Recommendations</th></tr></thead><tbody>
{{#each byRecommendingState}}<tr><td>{{state}}</td><td>{{code}}</td><td class="num">{{count}}</td></tr>{{/each}}
</tbody></table>{{else}}<p>No recommending States recorded.</p>{{/if}}

<h2>Action categories (UPR Info)</h2>
<table><thead><tr><th>Category</th><th class="num">Recommendations</th></tr></thead><tbody>
{{#each byActionCategory}}<tr><td>{{name}}</td><td class="num">{{count}}</td></tr>{{/each}}
</tbody></table>

<h2>Overdue deadlines</h2>
{{#if overdue.length}}<table><thead><tr><th>Due</th><th>Kind</th><th>Title</th><th>Recommendation</th></tr></thead><tbody>
{{#each overdue}}<tr><td class="nowrap">{{due}}</td><td>{{kind}}</td><td>{{title}}</td><td>{{recommendation}}</td></tr>{{/each}}
</tbody></table>{{else}}<p>None.</p>{{/if}}

<h2>Recurring across cycles</h2>
{{#if recurring.length}}<table><thead><tr><th>Paragraph</th><th>Recommendation</th><th>History</th></tr></thead><tbody>
{{#each recurring}}<tr><td class="nowrap">{{paragraph}}</td><td>{{excerpt}}</td><td>{{summary}}</td></tr>{{/each}}
</tbody></table>{{else}}<p>No recommendation of this cycle has a predecessor in an earlier cycle.</p>{{/if}}
{{#if testimonyExcerpts.length}}

<h2>From testimonies</h2>
<p>Anonymised excerpts the coordinators wrote of testimonies linked to the recommendations, with the consent of the people who gave them.</p>
<table><thead><tr><th>Paragraph</th><th>Excerpt</th></tr></thead><tbody>
{{#each testimonyExcerpts}}<tr><td class="nowrap">{{#if paragraph}}{{paragraph}}{{else}}#{{recommendationId}}{{/if}}</td><td>{{excerpt}}</td></tr>{{/each}}
</tbody></table>{{/if}}

<h2>Recommendations ({{total}})</h2>
<table class="list"><thead><tr><th class="w-para">Paragraph</th><th class="w-text">Recommendation</th><th class="w-states">Recommending States</th><th class="w-resp">Response</th><th class="w-status">Status</th><th class="num w-ev">Evidence</th><th class="w-note">Last status note</th></tr></thead><tbody>
`);

const ROWS = hb.compile(`{{#each this}}<tr><td class="nowrap">{{paragraph}}</td><td>{{text}}</td><td>{{states}}</td><td>{{response}}</td><td>{{status}}</td><td class="num">{{evidenceCount}}</td><td>{{lastStatusNote}}</td></tr>
{{/each}}`);

const TAIL = `</tbody></table>
</body></html>
`;

/** The report as a self-contained HTML page (inline CSS and SVG), streamed: the list is written chunk by chunk. */
export async function* htmlChunks(summary: ReportSummary, rows: AsyncIterable<ReportRecommendation[]>, close?: CloseSection): AsyncGenerator<string> {
  yield HEAD(headView(summary, close));
  for await (const chunk of rows) {
    if (chunk.length > 0) yield ROWS(chunk.map(rowView));
  }
  yield TAIL;
}

function headView(summary: ReportSummary, close?: CloseSection) {
  const total = summary.totals.recommendations;
  const percent = (part: number, whole: number) => (whole === 0 ? '–' : `${Math.round((part / whole) * 100)}%`);
  const cycle = summary.cycle;
  const meta = [
    cycle.session ? `Session ${cycle.session}` : null,
    cycle.documentSymbol ? `Outcome document ${cycle.documentSymbol}` : null,
    cycle.state === 'closed' ? `Closed${cycle.closedAt ? ` ${displayTime(cycle.closedAt)} UTC` : ''}` : 'Open',
  ].filter(Boolean).join(' · ');
  return {
    title: `Follow-up report: ${cycleLabel(cycle)}`,
    meta,
    generatedAt: displayTime(summary.generatedAt),
    participationNote: cycle.participationNote,
    close: close ? { ...close, closedAt: displayTime(close.closedAt) } : null,
    figures: [
      { value: total, label: 'recommendations' },
      ...(summary.totals.voluntaryPledges > 0 ? [{ value: summary.totals.voluntaryPledges, label: 'voluntary pledges (counted apart)' }] : []),
      { value: summary.totals.recommendationsWithEvidence, label: 'with evidence' },
      { value: summary.totals.evidenceItems, label: 'evidence items' },
      { value: summary.totals.overdueDeadlines, label: 'overdue deadlines' },
      { value: summary.totals.recurring, label: 'recurring from earlier cycles' },
    ],
    statusChart: barChart('Recommendations by implementation status', summary.byStatus.map((s) => ({ label: humanise(s.status), value: s.count, color: STATUS_COLORS[s.status] }))),
    byStatus: summary.byStatus.map((s) => ({ label: humanise(s.status), count: s.count, share: percent(s.count, total) })),
    rateSentence: `Supported: ${summary.implementationRate.supported.summary}. Noted: ${summary.implementationRate.noted.summary}.`,
    rates: RESPONSES.map((response) => {
      const r = summary.implementationRate[response];
      return { label: humanise(response), ...r, rate: r.rate === null ? '–' : `${Math.round(r.rate * 100)}%` };
    }),
    themeChart: barChart('Recommendations by theme', summary.byTheme.slice(0, CHART_THEMES).map((t) => ({ label: t.theme, value: t.count, color: THEME_COLOR }))),
    moreThemes: summary.byTheme.length > CHART_THEMES,
    chartThemes: CHART_THEMES,
    themeCount: summary.byTheme.length,
    byTheme: summary.byTheme,
    byRecommendingState: summary.byRecommendingState,
    byActionCategory: summary.byActionCategory.map((c) => ({ name: c.category === null ? c.label : `${c.category} – ${c.label}`, count: c.count })),
    overdue: summary.overdueDeadlines.map((d) => ({
      due: `${d.dueDate}${d.dueTime ? ` ${d.dueTime}` : ''} (${d.timeZone})`,
      kind: humanise(d.kind),
      title: d.title ?? '',
      recommendation: d.recommendationId === null ? 'the whole cycle' : `${d.paragraph ?? `#${d.recommendationId}`}`,
    })),
    recurring: summary.recurring,
    testimonyExcerpts: summary.testimonyExcerpts,
    total: total + summary.totals.voluntaryPledges,
    carriedSentence: summary.carried.count === 0 ? null
      : `Carried from earlier cycles and counted apart from the ${total} recommendations received: ${summary.carried.count}, of which ` +
        `${summary.carried.followedHere} are followed here and ${summary.carried.superseded} were superseded by a recurring recommendation of this cycle. ` +
        `Their status: ${summary.carried.byStatus.filter((s) => s.count > 0).map((s) => `${s.count} ${humanise(s.status).toLowerCase()}`).join(', ')}.`,
    pledgeSentence: summary.voluntaryPledges.count === 0 ? null
      : `${summary.voluntaryPledges.count} voluntary pledges of the State itself are listed with the recommendations but counted apart: ` +
        summary.voluntaryPledges.byStatus.filter((s) => s.count > 0).map((s) => `${s.count} ${humanise(s.status).toLowerCase()}`).join(', ') + '.',
  };
}

function rowView(r: ReportRecommendation) {
  return {
    paragraph: r.paragraph ?? '',
    text: r.text,
    states: r.recommendingStates.join(', '),
    response: r.kind === 'voluntary_pledge' ? 'Voluntary pledge' : humanise(r.response),
    status: humanise(r.status),
    evidenceCount: r.evidenceCount,
    lastStatusNote: r.lastStatusNote ?? '',
  };
}

/** "partially_implemented" → "Partially implemented". */
function humanise(value: string): string {
  const words = value.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function displayTime(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}
