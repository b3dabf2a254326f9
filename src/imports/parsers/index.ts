import { DEFAULT_IMPORT_LIMITS, type ImportLimits } from '../../../config/imports.config';
import type { ImportFormat, RecommendationParser } from '../import-record';
import { OhchrDocxParser } from './ohchr-docx.parser';
import { TemplateCsvParser } from './template-csv.parser';
import { UhriXlsxParser } from './uhri-xlsx.parser';
import { UprInfoCsvParser } from './upr-info-csv.parser';

export { detectFormat } from './detect-format';

/** The parser of a format; parsers keep no state between files, so one instance per call is cheap. */
export function parserFor(format: ImportFormat, limits: ImportLimits = DEFAULT_IMPORT_LIMITS): RecommendationParser {
  switch (format) {
    case 'upr-info-csv':
      return new UprInfoCsvParser(limits);
    case 'uhri-xlsx':
      return new UhriXlsxParser(limits);
    case 'ohchr-docx':
      return new OhchrDocxParser(limits);
    case 'csv':
      return new TemplateCsvParser(limits);
  }
}
