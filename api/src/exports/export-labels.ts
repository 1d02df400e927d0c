import type { Locale } from '../users/user.entity.js';
import type { DispositionColumn } from './disposition-table.js';

/** Everything an export file says in words, per language: column headers, enum values, sheet and file names. */
export interface ExportLabels {
  columns: Record<DispositionColumn, string>;
  commentType: Record<string, string>;
  disposition: Record<string, string>;
  field: Record<string, string>;
  rating: Record<string, string>;
  outcome: Record<string, string>;
  withdrawn: string;
  noArea: string;
  framework: string;
  /** The first word of a downloaded file's name, e.g. `comentarios-…csv`. */
  fileStem: { table: string; report: string; data: string };
  summary: {
    sheet: string;
    title: string;
    count: string;
    total: string;
    byArea: string;
    byIndicator: string;
    byType: string;
    byDisposition: string;
    byCountry: string;
    byOrganization: string;
    ratings: string;
    ballots: string;
    undisposed: string;
    withdrawnComments: string;
    approve: string;
    reject: string;
    abstain: string;
    eligible: string;
    outcome: string;
    pending: string;
  };
  report: {
    title: string;
    contents: string;
    generated: string;
    page: string;
    of: string;
    consultedText: string;
    comments: string;
    noComments: string;
    revision: string;
    noRevision: string;
    vote: string;
    noVote: string;
    inserted: string;
    deleted: string;
  };
}

const es: ExportLabels = {
  columns: {
    number: 'N.º', withdrawn: 'Retirado', area: 'Área', indicatorCode: 'Indicador', field: 'Campo', anchorQuote: 'Pasaje citado',
    commentType: 'Tipo de comentario', organization: 'Organización', country: 'País', author: 'Autor', comment: 'Comentario',
    proposedChange: 'Cambio propuesto', replies: 'Respuestas', disposition: 'Disposición', response: 'Respuesta del facilitador',
    revision: 'Revisión que lo recoge', themes: 'Temas', nearDuplicateGroup: 'Grupo de casi duplicados', nearDuplicateGroupSize: 'Tamaño del grupo', onBehalf: 'Ingresado en nombre de otros (fuente)', commentId: 'Id del comentario',
  },
  commentType: { GENERAL: 'General', TECHNICAL: 'Técnico', EDITORIAL: 'Editorial' },
  disposition: { ACCEPTED: 'Aceptado', PARTIALLY_ACCEPTED: 'Aceptado en parte', REJECTED: 'Rechazado', NOTED: 'Tomado en cuenta', DUPLICATE: 'Duplicado', NONE: 'Sin disposición' },
  field: { TITLE: 'Título', STATEMENT: 'Enunciado', RATIONALE: 'Justificación', MEASUREMENT: 'Medición', VERIFICATION: 'Medios de verificación', DATA_SOURCE: 'Fuente de datos', LEVELS: 'Niveles' },
  rating: { ESSENTIAL: 'Esencial', USEFUL: 'Útil pero no esencial', NOT_RELEVANT: 'No pertinente', NO_OPINION: 'Sin opinión' },
  outcome: { APPROVED: 'Aprobada', REJECTED: 'Rechazada', NO_QUORUM: 'Sin quórum' },
  withdrawn: 'Retirado',
  noArea: 'General',
  framework: 'Marco completo',
  fileStem: { table: 'disposicion-de-comentarios', report: 'informe-consolidado', data: 'ronda' },
  summary: {
    sheet: 'Resumen', title: 'Resumen de la ronda', count: 'Comentarios', total: 'Total', byArea: 'Por área', byIndicator: 'Por indicador',
    byType: 'Por tipo', byDisposition: 'Por disposición', byCountry: 'Por país', byOrganization: 'Por organización',
    ratings: 'Valoración de prácticas', ballots: 'Resultados de las votaciones', undisposed: 'Sin disposición', withdrawnComments: 'Retirados',
    approve: 'A favor', reject: 'En contra', abstain: 'Abstenciones', eligible: 'Habilitados', outcome: 'Resultado', pending: 'En curso',
  },
  report: {
    title: 'Informe consolidado de comentarios', contents: 'Índice', generated: 'Generado el', page: 'Página', of: 'de',
    consultedText: 'Texto consultado', comments: 'Comentarios y disposiciones', noComments: 'Sin comentarios.',
    revision: 'Revisión propuesta', noRevision: 'Sin revisión.', vote: 'Resultado de la votación', noVote: 'Sin votación.',
    inserted: 'añadido', deleted: 'suprimido',
  },
};

const en: ExportLabels = {
  columns: {
    number: 'No.', withdrawn: 'Withdrawn', area: 'Area', indicatorCode: 'Indicator', field: 'Field', anchorQuote: 'Quoted passage',
    commentType: 'Type of comment', organization: 'Organization', country: 'Country', author: 'Author', comment: 'Comment',
    proposedChange: 'Proposed change', replies: 'Replies', disposition: 'Disposition', response: 'Facilitator response',
    revision: 'Revision that took it up', themes: 'Themes', nearDuplicateGroup: 'Near-duplicate group', nearDuplicateGroupSize: 'Group size', onBehalf: 'Entered on behalf (source)', commentId: 'Comment id',
  },
  commentType: { GENERAL: 'General', TECHNICAL: 'Technical', EDITORIAL: 'Editorial' },
  disposition: { ACCEPTED: 'Accepted', PARTIALLY_ACCEPTED: 'Partially accepted', REJECTED: 'Rejected', NOTED: 'Noted', DUPLICATE: 'Duplicate', NONE: 'No disposition' },
  field: { TITLE: 'Title', STATEMENT: 'Statement', RATIONALE: 'Rationale', MEASUREMENT: 'Measurement', VERIFICATION: 'Means of verification', DATA_SOURCE: 'Data source', LEVELS: 'Levels' },
  rating: { ESSENTIAL: 'Essential', USEFUL: 'Useful but not essential', NOT_RELEVANT: 'Not relevant', NO_OPINION: 'No opinion' },
  outcome: { APPROVED: 'Approved', REJECTED: 'Rejected', NO_QUORUM: 'No quorum' },
  withdrawn: 'Withdrawn',
  noArea: 'General',
  framework: 'Whole framework',
  fileStem: { table: 'disposition-of-comments', report: 'consolidated-report', data: 'round' },
  summary: {
    sheet: 'Summary', title: 'Round summary', count: 'Comments', total: 'Total', byArea: 'By area', byIndicator: 'By indicator',
    byType: 'By type', byDisposition: 'By disposition', byCountry: 'By country', byOrganization: 'By organization',
    ratings: 'Practice ratings', ballots: 'Ballot outcomes', undisposed: 'No disposition', withdrawnComments: 'Withdrawn',
    approve: 'Approve', reject: 'Reject', abstain: 'Abstain', eligible: 'Eligible', outcome: 'Outcome', pending: 'Open',
  },
  report: {
    title: 'Consolidated feedback report', contents: 'Contents', generated: 'Generated on', page: 'Page', of: 'of',
    consultedText: 'Consulted text', comments: 'Comments and dispositions', noComments: 'No comments.',
    revision: 'Proposed revision', noRevision: 'No revision.', vote: 'Vote result', noVote: 'No ballot.',
    inserted: 'inserted', deleted: 'deleted',
  },
};

const pt: ExportLabels = {
  columns: {
    number: 'N.º', withdrawn: 'Retirado', area: 'Área', indicatorCode: 'Indicador', field: 'Campo', anchorQuote: 'Trecho citado',
    commentType: 'Tipo de comentário', organization: 'Organização', country: 'País', author: 'Autor', comment: 'Comentário',
    proposedChange: 'Alteração proposta', replies: 'Respostas', disposition: 'Disposição', response: 'Resposta do facilitador',
    revision: 'Revisão que o acolheu', themes: 'Temas', nearDuplicateGroup: 'Grupo de quase duplicados', nearDuplicateGroupSize: 'Tamanho do grupo', onBehalf: 'Inserido em nome de outros (fonte)', commentId: 'Id do comentário',
  },
  commentType: { GENERAL: 'Geral', TECHNICAL: 'Técnico', EDITORIAL: 'Editorial' },
  disposition: { ACCEPTED: 'Aceito', PARTIALLY_ACCEPTED: 'Aceito em parte', REJECTED: 'Rejeitado', NOTED: 'Registrado', DUPLICATE: 'Duplicado', NONE: 'Sem disposição' },
  field: { TITLE: 'Título', STATEMENT: 'Enunciado', RATIONALE: 'Justificativa', MEASUREMENT: 'Medição', VERIFICATION: 'Meios de verificação', DATA_SOURCE: 'Fonte de dados', LEVELS: 'Níveis' },
  rating: { ESSENTIAL: 'Essencial', USEFUL: 'Útil, mas não essencial', NOT_RELEVANT: 'Não relevante', NO_OPINION: 'Sem opinião' },
  outcome: { APPROVED: 'Aprovada', REJECTED: 'Rejeitada', NO_QUORUM: 'Sem quórum' },
  withdrawn: 'Retirado',
  noArea: 'Geral',
  framework: 'Marco completo',
  fileStem: { table: 'disposicao-de-comentarios', report: 'relatorio-consolidado', data: 'rodada' },
  summary: {
    sheet: 'Resumo', title: 'Resumo da rodada', count: 'Comentários', total: 'Total', byArea: 'Por área', byIndicator: 'Por indicador',
    byType: 'Por tipo', byDisposition: 'Por disposição', byCountry: 'Por país', byOrganization: 'Por organização',
    ratings: 'Avaliação das práticas', ballots: 'Resultados das votações', undisposed: 'Sem disposição', withdrawnComments: 'Retirados',
    approve: 'A favor', reject: 'Contra', abstain: 'Abstenções', eligible: 'Habilitados', outcome: 'Resultado', pending: 'Em andamento',
  },
  report: {
    title: 'Relatório consolidado de comentários', contents: 'Sumário', generated: 'Gerado em', page: 'Página', of: 'de',
    consultedText: 'Texto consultado', comments: 'Comentários e disposições', noComments: 'Sem comentários.',
    revision: 'Revisão proposta', noRevision: 'Sem revisão.', vote: 'Resultado da votação', noVote: 'Sem votação.',
    inserted: 'inserido', deleted: 'suprimido',
  },
};

const fr: ExportLabels = {
  columns: {
    number: 'N°', withdrawn: 'Retiré', area: 'Domaine', indicatorCode: 'Indicateur', field: 'Champ', anchorQuote: 'Passage cité',
    commentType: 'Type de commentaire', organization: 'Organisation', country: 'Pays', author: 'Auteur', comment: 'Commentaire',
    proposedChange: 'Modification proposée', replies: 'Réponses', disposition: 'Décision', response: 'Réponse du facilitateur',
    revision: 'Révision qui l’a reprise', themes: 'Thèmes', nearDuplicateGroup: 'Groupe de quasi-doublons', nearDuplicateGroupSize: 'Taille du groupe', onBehalf: 'Saisi au nom d’autrui (source)', commentId: 'Id du commentaire',
  },
  commentType: { GENERAL: 'Général', TECHNICAL: 'Technique', EDITORIAL: 'Rédactionnel' },
  disposition: { ACCEPTED: 'Accepté', PARTIALLY_ACCEPTED: 'Accepté en partie', REJECTED: 'Rejeté', NOTED: 'Pris en note', DUPLICATE: 'Doublon', NONE: 'Sans décision' },
  field: { TITLE: 'Titre', STATEMENT: 'Énoncé', RATIONALE: 'Justification', MEASUREMENT: 'Mesure', VERIFICATION: 'Moyens de vérification', DATA_SOURCE: 'Source des données', LEVELS: 'Niveaux' },
  rating: { ESSENTIAL: 'Essentielle', USEFUL: 'Utile mais non essentielle', NOT_RELEVANT: 'Non pertinente', NO_OPINION: 'Sans avis' },
  outcome: { APPROVED: 'Approuvée', REJECTED: 'Rejetée', NO_QUORUM: 'Quorum non atteint' },
  withdrawn: 'Retiré',
  noArea: 'Général',
  framework: 'Cadre entier',
  fileStem: { table: 'traitement-des-commentaires', report: 'rapport-consolide', data: 'cycle' },
  summary: {
    sheet: 'Synthèse', title: 'Synthèse du cycle', count: 'Commentaires', total: 'Total', byArea: 'Par domaine', byIndicator: 'Par indicateur',
    byType: 'Par type', byDisposition: 'Par décision', byCountry: 'Par pays', byOrganization: 'Par organisation',
    ratings: 'Évaluation des pratiques', ballots: 'Résultats des votes', undisposed: 'Sans décision', withdrawnComments: 'Retirés',
    approve: 'Pour', reject: 'Contre', abstain: 'Abstentions', eligible: 'Inscrits', outcome: 'Résultat', pending: 'En cours',
  },
  report: {
    title: 'Rapport consolidé des commentaires', contents: 'Table des matières', generated: 'Généré le', page: 'Page', of: 'sur',
    consultedText: 'Texte soumis à consultation', comments: 'Commentaires et décisions', noComments: 'Aucun commentaire.',
    revision: 'Révision proposée', noRevision: 'Aucune révision.', vote: 'Résultat du vote', noVote: 'Aucun vote.',
    inserted: 'ajouté', deleted: 'supprimé',
  },
};

const labels: Record<Locale, ExportLabels> = { es, en, pt, fr } as Record<Locale, ExportLabels>;

export function exportLabels(language: Locale): ExportLabels {
  return labels[language];
}
