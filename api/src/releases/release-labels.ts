import { message, messages } from '../i18n/messages.js';
import type { Locale } from '../users/user.entity.js';
import { ReleaseChangeKind } from './changelog.js';

const WORDS = [
  'release', 'final', 'working', 'supersededBy', 'released', 'notes', 'indicators', 'changelog', 'noChanges', 'version',
  'approvedIn', 'noBallot', 'answered', 'code', 'area', 'from', 'to',
] as const;

/**
 * What a release's files say in words, beyond the export labels they share (field names, outcomes): the
 * change kinds as the web's release page says them, the rest from the catalogues' `files.json`.
 */
export type ReleaseLabels = Record<(typeof WORDS)[number], string> & {
  kind: Record<ReleaseChangeKind, string>;
  /** The first word of a downloaded file's name. */
  fileStem: string;
};

const labels = new Map<Locale, ReleaseLabels>();

export function releaseLabels(language: Locale): ReleaseLabels {
  let found = labels.get(language);
  if (!found) {
    found = {
      ...messages(language, 'files.release', WORDS),
      kind: messages(language, 'releases.kind', Object.values(ReleaseChangeKind)),
      fileStem: message(language, 'files.release.fileStem'),
    };
    labels.set(language, found);
  }
  return found;
}
