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
  /** This server's answer in our API's shape (the others' own shapes), for the comparison before any load. */
  normalize?(json: any): unknown;
}

/** The three processes a run starts: our API, the floors (floor-server.ts) and the peer (PostGraphile). */
export type ServerName = 'ours' | 'floor' | 'peer';

/** Another server answering a scenario, measured against ours. */
export interface Contender {
  /** How the tables name it: 'PostGraphile', 'SQL floor', … */
  label: string;
  server: Exclude<ServerName, 'ours'>;
  request: Request;
  /** What it answers is compared with ours before the timed runs ('data'), or only its shape, ids masked ('shape', for writes). */
  compare: 'data' | 'shape';
  /** It does the same database work as ours: the rows a request adds or changes are compared with ours's (writes). */
  sameWork?: boolean;
}

export interface Scenario {
  name: string;
  ours: Request;
  others: Contender[];
  /** A write: what it changes in the database is compared too. */
  write?: boolean;
}

const cookie = (token: string) => `consulta_session=${token}`;
const gql = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });
function rotate<T>(items: T[]) {
  let i = 0;
  return () => items[i++ % items.length];
}

const PEER_COMMENT = `id type body bodyHtml proposedChange official mine createdAt editedAt withdrawnAt parentId authorId authorName authorOrganizationName authorCountry anchor
  commentRevisionsByCommentId(orderBy: NUMBER_ASC) { nodes { number body writtenAt } }
  revisionCommentsByCommentId { nodes { indicatorVersionByRevisionId { id number status } } }`;

// Titles, status and the viewer's part through computed columns (peer-server.ts); the viewer from the session, as ours.
const PEER_ROUND = `query($id: UUID!) {
  consultationRoundById(id: $id) {
    id status opensAt closesAt commentCount undisposedCount replyCount ratingsEnabled viewerMayTakePart localizedTitle localizedInstructions myCommentedIndicatorIds
    frameworkByFrameworkId { id slug }
    roundVersionsByRoundId(orderBy: POSITION_ASC) {
      nodes { id commentCount undisposedCount indicatorByIndicatorId { id code sectionBySectionId { id code } } indicatorVersionByIndicatorVersionId { localizedTitle } }
    }
  }
}`;

// Replies through commentsByParentId (the thread's direct replies), not the thread again with its parent.
const PEER_INDICATOR = `query($id: UUID!, $indicatorId: UUID!, $first: Int!) {
  consultationRoundById(id: $id) {
    id status closesAt viewerMayTakePart localizedTitle frameworkId
    roundVersionsByRoundId(condition: { indicatorId: $indicatorId }) {
      nodes { id commentCount undisposedCount indicatorByIndicatorId { id code } indicatorVersionByIndicatorVersionId { id number fields(language: "es") } }
    }
  }
  allComments(condition: { roundId: $id, indicatorId: $indicatorId, parentId: null }, orderBy: [CREATED_AT_ASC, ID_ASC], first: $first) {
    totalCount
    nodes {
      ${PEER_COMMENT}
      dispositionByCommentId { status response responseHtml decidedByName decidedAt duplicateOfId }
      commentsByParentId(orderBy: [CREATED_AT_ASC, ID_ASC]) { nodes { ${PEER_COMMENT} } }
    }
  }
}`;

/** PostGraphile's round page in our API's shape. */
function peerRound(json: any) {
  const r = json.data.consultationRoundById;
  const items = r.roundVersionsByRoundId.nodes;
  return {
    data: {
      round: {
        id: r.id, status: r.status, opensAt: r.opensAt, closesAt: r.closesAt, commentCount: r.commentCount, undisposedCount: r.undisposedCount, replyCount: r.replyCount,
        ratingsEnabled: r.ratingsEnabled, viewerMayTakePart: r.viewerMayTakePart, title: r.localizedTitle, instructions: r.localizedInstructions,
        framework: r.frameworkByFrameworkId,
        myProgress: { indicatorCount: items.length, commentedCount: r.myCommentedIndicatorIds.length, commentedIndicatorIds: r.myCommentedIndicatorIds },
        indicators: items.map((i: any) => ({
          id: i.id, commentCount: i.commentCount, undisposedCount: i.undisposedCount,
          indicator: { id: i.indicatorByIndicatorId.id, code: i.indicatorByIndicatorId.code, title: i.indicatorVersionByIndicatorVersionId.localizedTitle, section: i.indicatorByIndicatorId.sectionBySectionId },
        })),
      },
    },
  };
}

function peerComment(c: any, disposition: any) {
  const a = c.anchor;
  return {
    id: c.id, type: c.type, body: c.body, bodyHtml: c.bodyHtml, proposedChange: c.proposedChange, official: c.official, mine: c.mine, createdAt: c.createdAt,
    editedAt: c.editedAt, withdrawnAt: c.withdrawnAt, parentId: c.parentId,
    author: { userId: c.authorId, name: c.authorName, organizationName: c.authorOrganizationName, country: c.authorCountry },
    anchor: a && { field: a.field, language: a.language.toUpperCase(), exact: a.exact, start: a.start, end: a.end },
    disposition,
    revisions: c.commentRevisionsByCommentId.nodes,
    takenUpBy: c.revisionCommentsByCommentId.nodes.map((n: any) => n.indicatorVersionByRevisionId),
  };
}

/** PostGraphile's indicator page in our API's shape. */
function peerIndicator(json: any) {
  const r = json.data.consultationRoundById;
  const rv = r.roundVersionsByRoundId.nodes[0];
  const comments = json.data.allComments;
  return {
    data: {
      round: {
        id: r.id, status: r.status, closesAt: r.closesAt, viewerMayTakePart: r.viewerMayTakePart, title: { value: r.localizedTitle.value }, framework: { id: r.frameworkId },
        indicator: {
          id: rv.id, commentCount: rv.commentCount, undisposedCount: rv.undisposedCount, indicator: rv.indicatorByIndicatorId,
          indicatorVersion: rv.indicatorVersionByIndicatorVersionId,
        },
      },
      roundComments: {
        totalCount: comments.totalCount,
        edges: comments.nodes.map((c: any) => ({ node: { ...peerComment(c, c.dispositionByCommentId), thread: c.commentsByParentId.nodes.map((t: any) => peerComment(t, null)) } })),
      },
    },
  };
}

const CHOICES = ['APPROVE', 'ABSTAIN', 'APPROVE'];

export function scenarios(g: Generated, pageSize = 50): Scenario[] {
  const reader = () => ({ cookie: cookie(g.readerToken) });
  const round = webOperation('Round');
  const indicator = webOperation('RoundIndicator');
  const list = webOperation('DispositionQueue');
  const search = webOperation('SearchIndicators');
  const addComment = webOperation('AddComment');
  const castVote = webOperation('CastVote');
  const commenter = rotate(g.commenterTokens);
  const voter = rotate(g.voterTokens);
  const choices = rotate(CHOICES);
  const words = rotate(['mujeres rural', 'cartera', 'pobreza', 'retención clientas', 'GEN-01']);
  const commentBody = (n: number) => `Propuesta ${n}: precisar el período de medición y la fuente de datos por zona rural.`;
  let written = 0;
  return [
    {
      name: 'round page',
      ours: { method: 'POST', path: '/graphql', next: () => ({ ...reader(), body: gql(round, { id: g.roundId }) }) },
      others: [
        { label: 'PostGraphile', server: 'peer', compare: 'data', request: { method: 'POST', path: '/graphql', next: () => ({ ...reader(), body: gql(PEER_ROUND, { id: g.roundId }) }), normalize: peerRound } },
        { label: 'SQL floor', server: 'floor', compare: 'data', request: { method: 'GET', path: `/sql/round/${g.roundId}`, next: reader } },
        { label: 'Node floor', server: 'floor', compare: 'data', request: { method: 'GET', path: `/round/${g.roundId}`, next: reader } },
        { label: 'recount floor', server: 'floor', compare: 'data', request: { method: 'GET', path: `/sql/round-recount/${g.roundId}`, next: reader } },
      ],
    },
    {
      name: 'indicator page',
      ours: { method: 'POST', path: '/graphql', next: () => ({ ...reader(), body: gql(indicator, { id: g.roundId, indicatorId: g.indicatorId, language: 'ES', first: pageSize }) }) },
      others: [
        {
          label: 'PostGraphile', server: 'peer', compare: 'data',
          request: { method: 'POST', path: '/graphql', next: () => ({ ...reader(), body: gql(PEER_INDICATOR, { id: g.roundId, indicatorId: g.indicatorId, first: pageSize }) }), normalize: peerIndicator },
        },
        { label: 'SQL floor', server: 'floor', compare: 'data', request: { method: 'GET', path: `/sql/indicator/${g.roundId}/${g.indicatorId}?first=${pageSize}`, next: reader } },
        { label: 'Node floor', server: 'floor', compare: 'data', request: { method: 'GET', path: `/indicator/${g.roundId}/${g.indicatorId}?first=${pageSize}`, next: reader } },
      ],
    },
    {
      name: 'comment list (filtered, facets)',
      ours: {
        method: 'POST',
        path: '/graphql',
        next: () => ({ cookie: cookie(g.facilitatorToken), body: gql(list, { id: g.roundId, filter: { types: ['TECHNICAL'], dispositions: ['NONE'] }, first: pageSize }) }),
      },
      others: [],
    },
    {
      name: 'addComment',
      write: true,
      ours: {
        method: 'POST',
        path: '/graphql',
        next: () => ({
          cookie: cookie(commenter()),
          body: gql(addComment, { input: { roundId: g.roundId, targetKind: 'INDICATOR_VERSION', targetId: g.indicatorVersionId, type: 'GENERAL', body: commentBody(++written) } }),
        }),
      },
      others: (['same-work', 'bare'] as const).map((level) => {
        const author = rotate(g.commenterTokens);
        return {
          label: `${level} floor`, server: 'floor', compare: 'shape', sameWork: level === 'same-work',
          request: {
            method: 'POST', path: level === 'bare' ? '/comment' : '/comment/same-work',
            next: () => ({ cookie: cookie(author()), body: JSON.stringify({ roundId: g.roundId, targetId: g.indicatorVersionId, type: 'GENERAL', body: commentBody(++written) }) }),
          },
        };
      }),
    },
    {
      name: 'castVote',
      write: true,
      ours: { method: 'POST', path: '/graphql', next: () => ({ cookie: cookie(voter()), body: gql(castVote, { input: { questionId: g.questionId, choice: choices() } }) }) },
      others: (['same-work', 'bare'] as const).map((level) => {
        const ballotVoter = rotate(g.voterTokens);
        const choice = rotate(CHOICES);
        return {
          label: `${level} floor`, server: 'floor', compare: 'shape', sameWork: level === 'same-work',
          request: { method: 'POST', path: level === 'bare' ? '/vote' : '/vote/same-work', next: () => ({ cookie: cookie(ballotVoter()), body: JSON.stringify({ questionId: g.questionId, choice: choice() }) }) },
        };
      }),
    },
    {
      name: 'search',
      ours: { method: 'POST', path: '/graphql', next: () => ({ ...reader(), body: gql(search, { query: words(), language: 'ES', frameworkSlug: g.frameworkSlug }) }) },
      others: [],
    },
  ];
}
