/** Horizontal bar charts as plain numbers, for the HTML template to draw as SVG (no script, no external asset). */

export interface BarInput {
  label: string;
  value: number;
  color: string;
}

export interface Bar {
  label: string;
  fullLabel: string;
  value: number;
  y: number;
  textY: number;
  barWidth: number;
  valueX: number;
  color: string;
}

export interface BarChart {
  title: string;
  width: number;
  height: number;
  labelX: number;
  barX: number;
  barHeight: number;
  bars: Bar[];
}

const LABEL_WIDTH = 260;
const BAR_AREA = 380;
const ROW_HEIGHT = 24;
const BAR_HEIGHT = 16;
/** Longest label shown in full; longer ones are cut, the whole label is in the bar's tooltip. */
const MAX_LABEL = 38;

export function barChart(title: string, items: BarInput[]): BarChart {
  const max = Math.max(1, ...items.map((i) => i.value));
  return {
    title,
    width: LABEL_WIDTH + BAR_AREA + 70,
    height: items.length * ROW_HEIGHT + 8,
    labelX: LABEL_WIDTH - 8,
    barX: LABEL_WIDTH,
    barHeight: BAR_HEIGHT,
    bars: items.map((item, i) => {
      const barWidth = item.value === 0 ? 0 : Math.max(2, Math.round((item.value / max) * BAR_AREA));
      const y = i * ROW_HEIGHT + 4;
      return {
        label: item.label.length > MAX_LABEL ? `${item.label.slice(0, MAX_LABEL - 1)}…` : item.label,
        fullLabel: item.label,
        value: item.value,
        y,
        textY: y + 12,
        barWidth,
        valueX: LABEL_WIDTH + barWidth + 6,
        color: item.color,
      };
    }),
  };
}

export const STATUS_COLORS: Record<string, string> = {
  not_assessed: '#a0aec0',
  not_started: '#718096',
  in_progress: '#3182ce',
  partially_implemented: '#d69e2e',
  fully_implemented: '#38a169',
  not_implemented: '#e53e3e',
  regressed: '#822727',
};

export const THEME_COLOR = '#2b6cb0';
