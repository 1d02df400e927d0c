import { diffWordsWithSpace } from 'diff';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { LOCALES } from '../i18n/localized-text.js';
import { Locale } from '../users/user.entity.js';
import { IndicatorField, INDICATOR_FIELDS, type IndicatorTexts } from './indicator-field.js';
import { IndicatorVersion } from './indicator.entity.js';

export enum DiffRunKind {
  UNCHANGED = 'UNCHANGED',
  INSERTED = 'INSERTED',
  DELETED = 'DELETED',
}
registerEnumType(DiffRunKind, {
  name: 'DiffRunKind',
  description: 'Whether a run of words is in both texts, only the newer, or only the older.',
  valuesConfig: {
    UNCHANGED: { description: 'In both texts.' },
    INSERTED: { description: 'Only in the newer text.' },
    DELETED: { description: 'Only in the older text.' },
  },
});

@ObjectType({ description: 'A run of words (with their spacing) that is unchanged, inserted or deleted.' })
export class DiffRun {
  @Field(() => DiffRunKind, { description: 'Unchanged, inserted or deleted.' }) kind!: DiffRunKind;
  @Field(() => String, { description: 'The words, with their spacing.' }) text!: string;
}

@ObjectType({ description: 'How one field changed in one language, word by word.' })
export class FieldDiff {
  @Field(() => IndicatorField, { description: 'The field compared.' }) field!: IndicatorField;
  @Field(() => Locale, { description: 'The language compared.' }) language!: Locale;
  @Field(() => Boolean, { description: 'Whether the text differs at all.' }) changed!: boolean;
  @Field(() => [DiffRun], { description: 'Read in order: the older text is the UNCHANGED and DELETED runs, the newer the UNCHANGED and INSERTED.' })
  runs!: DiffRun[];
}

@ObjectType({ description: 'A word-level comparison of two versions of one indicator.' })
export class VersionDiff {
  @Field(() => IndicatorVersion, { description: 'The older version.' }) from!: IndicatorVersion;
  @Field(() => IndicatorVersion, { description: 'The newer version.' }) to!: IndicatorVersion;
  @Field(() => [FieldDiff], { description: 'Each field and language that either version has, in field order.' })
  fields!: FieldDiff[];
}

export function diffText(older: string, newer: string): DiffRun[] {
  return diffWordsWithSpace(older, newer).map((change) => ({
    kind: change.added ? DiffRunKind.INSERTED : change.removed ? DiffRunKind.DELETED : DiffRunKind.UNCHANGED,
    text: change.value,
  }));
}

/** Per field and per language, in field then language order; only `languages` when given. */
export function diffTexts(older: IndicatorTexts, newer: IndicatorTexts, languages: readonly Locale[] = LOCALES): FieldDiff[] {
  const out: FieldDiff[] = [];
  for (const field of INDICATOR_FIELDS) {
    for (const language of languages) {
      const a = older[field]?.[language];
      const b = newer[field]?.[language];
      if (a === undefined && b === undefined) continue;
      out.push({ field, language, changed: (a ?? '') !== (b ?? ''), runs: diffText(a ?? '', b ?? '') });
    }
  }
  return out;
}
