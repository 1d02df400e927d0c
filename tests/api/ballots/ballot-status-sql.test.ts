import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BallotStatus, ballotOpenSql, ballotStatus } from '../../../api/src/ballots/ballot.entity.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

const opensAt = new Date('2026-12-01T10:00:00.000Z');
const closesAt = new Date('2026-12-08T10:00:00.000Z');
const ms = (d: Date, n: number) => new Date(d.getTime() + n);
const frozenAt = ms(opensAt, -3600_000);

/** Every boundary of the rule: before, at and after the opening and the closing, never frozen, decided early. */
const cases = [
  ...[ms(opensAt, -1), opensAt, ms(opensAt, 1), ms(closesAt, -1), closesAt, ms(closesAt, 1)].map((now) => ({ now, frozenAt, closedAt: null as Date | null })),
  { now: ms(opensAt, 1), frozenAt: null, closedAt: null },
  { now: ms(opensAt, 1), frozenAt, closedAt: opensAt },
];

describe('the rule that a ballot is open', () => {
  it('is the same in castVote’s SQL and in ballotStatus at every boundary, to the millisecond', async () => {
    for (const c of cases) {
      const [row] = await db.orm.em.fork().execute<{ open: boolean }[]>(
        `select ${ballotOpenSql('b', '?::timestamptz')} as open
         from (select ?::timestamptz as closed_at, ?::timestamptz as frozen_at, ?::timestamptz as opens_at, ?::timestamptz as closes_at) b`,
        [c.now, c.now, c.closedAt, c.frozenAt, opensAt, closesAt],
      );
      expect({ ...c, open: row.open }).toEqual({ ...c, open: ballotStatus({ ...c, opensAt, closesAt }, c.now) === BallotStatus.OPEN });
    }
  });
});
