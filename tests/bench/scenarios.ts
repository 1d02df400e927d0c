/**
 * What is measured, as HTTP requests for autocannon: the web's own GraphQL operations against our
 * API, and the same data from the floor (hand-written SQL) and the peer (PostGraphile).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Kind, parse, print, visit, type DefinitionNode, type DocumentNode } from 'graphql';
import type { Generated } from './generate.js';
import { ROOT } from './processes.js';

const OPERATIONS = `${ROOT}web/src/lib/graphql/operations/`;
// Every operation file: an operation may spread fragments another feature's file defines.
const operations = readdirSync(OPERATIONS)
  .filter((file) => file.endsWith('.graphql'))
  .flatMap((file) => parse(readFileSync(OPERATIONS + file, 'utf8')).definitions);

/** One operation of the web with the fragments it spreads (transitively), as the web sends it. */
export function webOperation(name: string): string {
  const byName = new Map(operations.map((d) => [('name' in d && d.name?.value) || '', d] as const));
  const wanted = new Set<string>([name]);
  const queue: DefinitionNode[] = [byName.get(name)!];
  if (!queue[0]) throw new Error(`no operation ${name} in the web's documents`);
  while (queue.length) {
    visit(queue.pop()!, {
      FragmentSpread(node) {
        if (!wanted.has(node.name.value)) {
          wanted.add(node.name.value);
          queue.push(byName.get(node.name.value)!);
        }
      },
    });
  }
  const doc: DocumentNode = { kind: Kind.DOCUMENT, definitions: operations.filter((d) => 'name' in d && wanted.has(d.name?.value ?? '')) };
  return print(doc);
}

export interface Request {
  method: 'GET' | 'POST';
  path: string;
  /** Called for every request: rotates people and values. */
  next(): { cookie: string; body?: string };
}

export interface Scenario {
  name: string;
  ours: Request;
  floor?: Request;
  peer?: Request;
}

const cookie = (token: string) => `consulta_session=${token}`;
const gql = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });
function rotate<T>(items: T[]) {
  let i = 0;
  return () => items[i++ % items.length];
}

const PEER_COMMENT = `id type body bodyHtml proposedChange official authorId createdAt editedAt withdrawnAt parentId authorName authorOrganizationName authorCountry anchor
  dispositionByCommentId { status response responseHtml decidedByName decidedAt duplicateOfId }
  commentRevisionsByCommentId(orderBy: NUMBER_ASC) { nodes { number body writtenAt } }`;

// PostGraphile has no localized title: the peer's round page reads no indicator titles (less work than ours).
const PEER_ROUND = `query($id: UUID!, $me: UUID!) {
  consultationRoundById(id: $id) {
    id title instructions opensAt closesAt commentCount undisposedCount replyCount ratingsEnabled
    frameworkByFrameworkId { id slug }
    commentsByRoundId(condition: { authorId: $me, parentId: null }) { nodes { indicatorId } }
    roundVersionsByRoundId(orderBy: POSITION_ASC) {
      nodes { id commentCount undisposedCount indicatorByIndicatorId { id code sectionBySectionId { id code } } }
    }
  }
}`;

const PEER_INDICATOR = `query($id: UUID!, $indicatorId: UUID!, $first: Int!) {
  consultationRoundById(id: $id) {
    id title opensAt closesAt frameworkId
    roundVersionsByRoundId(condition: { indicatorId: $indicatorId }) {
      nodes { id commentCount undisposedCount indicatorByIndicatorId { id code } indicatorVersionByIndicatorVersionId { id number texts } }
    }
  }
  allComments(condition: { roundId: $id, indicatorId: $indicatorId, parentId: null }, orderBy: [CREATED_AT_ASC, ID_ASC], first: $first) {
    totalCount
    nodes { ${PEER_COMMENT} commentsByThreadId(orderBy: CREATED_AT_ASC) { nodes { ${PEER_COMMENT} } } }
  }
}`;

export function scenarios(g: Generated, pageSize = 50): Scenario[] {
  const reader = () => ({ cookie: cookie(g.readerToken) });
  const round = webOperation('Round');
  const indicator = webOperation('RoundIndicator');
  const list = webOperation('DispositionQueue');
  const search = webOperation('SearchIndicators');
  const addComment = webOperation('AddComment');
  const castVote = webOperation('CastVote');
  const commenter = rotate(g.commenterTokens);
  const floorCommenter = rotate(g.commenterTokens);
  const voter = rotate(g.voterTokens);
  const floorVoter = rotate(g.voterTokens);
  const choices = rotate(['APPROVE', 'ABSTAIN', 'APPROVE']);
  const words = rotate(['mujeres rural', 'cartera', 'pobreza', 'retención clientas', 'GEN-01']);
  const commentBody = (n: number) => `Propuesta ${n}: precisar el período de medición y la fuente de datos por zona rural.`;
  let written = 0;
  return [
    {
      name: 'round page',
      ours: { method: 'POST', path: '/graphql', next: () => ({ ...reader(), body: gql(round, { id: g.roundId }) }) },
      floor: { method: 'GET', path: `/round/${g.roundId}`, next: reader },
      peer: { method: 'POST', path: '/graphql', next: () => ({ ...reader(), body: gql(PEER_ROUND, { id: g.roundId, me: g.readerId }) }) },
    },
    {
      name: 'indicator page',
      ours: { method: 'POST', path: '/graphql', next: () => ({ ...reader(), body: gql(indicator, { id: g.roundId, indicatorId: g.indicatorId, language: 'ES', first: pageSize }) }) },
      floor: { method: 'GET', path: `/indicator/${g.roundId}/${g.indicatorId}?first=${pageSize}`, next: reader },
      peer: { method: 'POST', path: '/graphql', next: () => ({ ...reader(), body: gql(PEER_INDICATOR, { id: g.roundId, indicatorId: g.indicatorId, first: pageSize }) }) },
    },
    {
      name: 'comment list (filtered, facets)',
      ours: {
        method: 'POST',
        path: '/graphql',
        next: () => ({ cookie: cookie(g.facilitatorToken), body: gql(list, { id: g.roundId, filter: { types: ['TECHNICAL'], dispositions: ['NONE'] }, first: pageSize }) }),
      },
    },
    {
      name: 'addComment',
      ours: {
        method: 'POST',
        path: '/graphql',
        next: () => ({
          cookie: cookie(commenter()),
          body: gql(addComment, { input: { roundId: g.roundId, targetKind: 'INDICATOR_VERSION', targetId: g.indicatorVersionId, type: 'GENERAL', body: commentBody(++written) } }),
        }),
      },
      floor: {
        method: 'POST',
        path: '/comment',
        next: () => ({ cookie: cookie(floorCommenter()), body: JSON.stringify({ roundId: g.roundId, targetId: g.indicatorVersionId, type: 'GENERAL', body: commentBody(++written) }) }),
      },
    },
    {
      name: 'castVote',
      ours: { method: 'POST', path: '/graphql', next: () => ({ cookie: cookie(voter()), body: gql(castVote, { input: { questionId: g.questionId, choice: choices() } }) }) },
      floor: { method: 'POST', path: '/vote', next: () => ({ cookie: cookie(floorVoter()), body: JSON.stringify({ questionId: g.questionId, choice: choices() }) }) },
    },
    {
      name: 'search',
      ours: { method: 'POST', path: '/graphql', next: () => ({ ...reader(), body: gql(search, { query: words(), language: 'ES', frameworkSlug: g.frameworkSlug }) }) },
    },
  ];
}
