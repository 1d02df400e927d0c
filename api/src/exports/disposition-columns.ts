/**
 * The columns of the disposition-of-comments table, in order (the ISO comment template's, plus
 * the withdrawn mark and the comment's id for cross-reference with the JSON export); `prose`
 * columns wrap in a spreadsheet. Columns the
 * analysis adds later (themes, near-duplicate group, on-behalf source) go into this list and the
 * row builder in disposition-table.ts; every format reads the table from here.
 */
export const DISPOSITION_COLUMNS = [
  { key: 'number', width: 7, prose: false },
  { key: 'withdrawn', width: 12, prose: false },
  { key: 'area', width: 22, prose: true },
  { key: 'indicatorCode', width: 12, prose: false },
  { key: 'field', width: 16, prose: false },
  { key: 'anchorQuote', width: 30, prose: true },
  { key: 'commentType', width: 13, prose: false },
  { key: 'organization', width: 24, prose: true },
  { key: 'country', width: 14, prose: false },
  { key: 'author', width: 20, prose: false },
  { key: 'comment', width: 50, prose: true },
  { key: 'proposedChange', width: 40, prose: true },
  { key: 'replies', width: 40, prose: true },
  { key: 'disposition', width: 16, prose: false },
  { key: 'response', width: 40, prose: true },
  { key: 'revision', width: 16, prose: false },
  { key: 'commentId', width: 38, prose: false },
  { key: 'themes', width: 24, prose: true },
  { key: 'nearDuplicateGroup', width: 13, prose: false },
  { key: 'nearDuplicateGroupSize', width: 10, prose: false },
  { key: 'onBehalf', width: 30, prose: true },
] as const;

export type DispositionColumn = (typeof DISPOSITION_COLUMNS)[number]['key'];
