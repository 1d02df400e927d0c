import { Locale } from '../users/user.entity.js';

/** What a release's files say in words, beyond the export labels they share (field names, outcomes). */
export interface ReleaseLabels {
  release: string;
  final: string;
  working: string;
  supersededBy: string;
  released: string;
  notes: string;
  indicators: string;
  changelog: string;
  noChanges: string;
  kind: Record<'ADDED' | 'CHANGED' | 'RETIRED', string>;
  version: string;
  approvedIn: string;
  noBallot: string;
  answered: string;
  code: string;
  area: string;
  from: string;
  to: string;
  /** The first word of a downloaded file's name. */
  fileStem: string;
}

const es: ReleaseLabels = {
  release: 'Versión publicada', final: 'FINAL', working: 'De trabajo', supersededBy: 'Sustituida por', released: 'Publicada el', notes: 'Notas',
  indicators: 'Indicadores', changelog: 'Registro de cambios', noChanges: 'Sin cambios.',
  kind: { ADDED: 'Añadido', CHANGED: 'Modificado', RETIRED: 'Retirado' },
  version: 'Versión', approvedIn: 'Aprobada en', noBallot: 'Publicada sin votación', answered: 'Comentarios atendidos', code: 'Código', area: 'Área',
  from: 'Desde', to: 'Hasta', fileStem: 'version-publicada',
};
const en: ReleaseLabels = {
  release: 'Release', final: 'FINAL', working: 'Working', supersededBy: 'Superseded by', released: 'Released on', notes: 'Notes',
  indicators: 'Indicators', changelog: 'Changelog', noChanges: 'No changes.',
  kind: { ADDED: 'Added', CHANGED: 'Changed', RETIRED: 'Retired' },
  version: 'Version', approvedIn: 'Approved in', noBallot: 'Published without a ballot', answered: 'Comments answered', code: 'Code', area: 'Area',
  from: 'From', to: 'To', fileStem: 'release',
};
const pt: ReleaseLabels = {
  release: 'Versão publicada', final: 'FINAL', working: 'De trabalho', supersededBy: 'Substituída por', released: 'Publicada em', notes: 'Notas',
  indicators: 'Indicadores', changelog: 'Registro de alterações', noChanges: 'Sem alterações.',
  kind: { ADDED: 'Adicionado', CHANGED: 'Alterado', RETIRED: 'Retirado' },
  version: 'Versão', approvedIn: 'Aprovada em', noBallot: 'Publicada sem votação', answered: 'Comentários atendidos', code: 'Código', area: 'Área',
  from: 'De', to: 'Para', fileStem: 'versao-publicada',
};
const fr: ReleaseLabels = {
  release: 'Version publiée', final: 'FINALE', working: 'De travail', supersededBy: 'Remplacée par', released: 'Publiée le', notes: 'Notes',
  indicators: 'Indicateurs', changelog: 'Journal des modifications', noChanges: 'Aucune modification.',
  kind: { ADDED: 'Ajouté', CHANGED: 'Modifié', RETIRED: 'Retiré' },
  version: 'Version', approvedIn: 'Approuvée lors de', noBallot: 'Publiée sans vote', answered: 'Commentaires traités', code: 'Code', area: 'Domaine',
  from: 'De', to: 'À', fileStem: 'version-publiee',
};

const labels: Record<Locale, ReleaseLabels> = { [Locale.ES]: es, [Locale.EN]: en, [Locale.PT]: pt, [Locale.FR]: fr };

export function releaseLabels(language: Locale): ReleaseLabels {
  return labels[language] ?? es;
}
