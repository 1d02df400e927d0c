import { registerEnumType } from 'type-graphql';
import type { LocalizedText } from '../i18n/localized-text.js';

/** The named parts of an indicator's text. */
export enum IndicatorField {
  TITLE = 'TITLE',
  STATEMENT = 'STATEMENT',
  RATIONALE = 'RATIONALE',
  MEASUREMENT = 'MEASUREMENT',
  VERIFICATION = 'VERIFICATION',
  DATA_SOURCE = 'DATA_SOURCE',
  LEVELS = 'LEVELS',
}
registerEnumType(IndicatorField, {
  name: 'IndicatorField',
  description: 'A named part of an indicator’s text.',
  valuesConfig: {
    TITLE: { description: 'A short name for the indicator.' },
    STATEMENT: { description: 'What the institution must do or show.' },
    RATIONALE: { description: 'Why it matters: what the indicator is for.' },
    MEASUREMENT: { description: 'Formula or method, and unit.' },
    VERIFICATION: { description: 'Means of verification: the evidence an auditor checks.' },
    DATA_SOURCE: { description: 'Where the data come from (the loan portfolio system, a client survey …).' },
    LEVELS: { description: 'The levels or threshold that count as meeting it.' },
  },
});

export const INDICATOR_FIELDS = Object.values(IndicatorField);

/** An indicator's text: each field with a value per language. */
export type IndicatorTexts = Partial<Record<IndicatorField, LocalizedText>>;
