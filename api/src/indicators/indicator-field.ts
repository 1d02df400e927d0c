import { registerEnumType } from 'type-graphql';
import type { LocalizedText } from '../i18n/localized-text.js';

/** The named parts of an indicator's text. */
export enum IndicatorField {
  TITLE = 'TITLE',
  /** What the institution must do or show. */
  STATEMENT = 'STATEMENT',
  RATIONALE = 'RATIONALE',
  /** Formula or method, and unit. */
  MEASUREMENT = 'MEASUREMENT',
  /** Means of verification: the evidence an auditor checks. */
  VERIFICATION = 'VERIFICATION',
  DATA_SOURCE = 'DATA_SOURCE',
  /** The levels or threshold that count as meeting it. */
  LEVELS = 'LEVELS',
}
registerEnumType(IndicatorField, {
  name: 'IndicatorField',
  description: 'A named part of an indicator’s text.',
  valuesConfig: {
    STATEMENT: { description: 'What the institution must do or show.' },
    MEASUREMENT: { description: 'Formula or method, and unit.' },
    VERIFICATION: { description: 'Means of verification: the evidence an auditor checks.' },
    LEVELS: { description: 'The levels or threshold that count as meeting it.' },
  },
});

export const INDICATOR_FIELDS = Object.values(IndicatorField);

/** An indicator's text: each field with a value per language. */
export type IndicatorTexts = Partial<Record<IndicatorField, LocalizedText>>;
