import { browserClient } from '$lib/graphql/client';
import { CurrentAnswersDocument, SaveAnswerDocument } from '$lib/graphql/generated';
import { problemOf } from '$lib/graphql/problems';
import { newKey, outbox, type OutboxEntry } from '$lib/offline/outbox.svelte';
import { seal } from '$lib/offline/seal.svelte';
import { answerInput, draftOfForm, fieldsOfDraft, sameDraft, valueInvalid, type AnswerDraft } from './answer-form';
import type { AnswerView } from './assessment';

/** Where one indicator's answer stands in the browser. */
export type SaveState = 'saved' | 'pending' | 'saving' | 'offline' | 'conflict' | 'refused';

/** An answer not yet taken by the API, and the revision it was written over (0 for a first answer). */
interface Unsent {
  draft: AnswerDraft;
  base: number;
  /** The idempotency key every retry of this save sends (a save whose answer was lost is taken once); its outbox entry's key. */
  key: string;
}

/** Where an earlier version kept unsent answers (localStorage): read once into the outbox, then removed. */
const formerKey = (assessmentId: string) => `consulta:answers:${assessmentId}`;

const WAIT_MS = 800;
const RETRY_MS = [2_000, 5_000, 10_000, 30_000];

/**
 * Autosave for an assessment's answers in the browser. Every edit is kept at once in the device's
 * outbox (IndexedDB, with the comments, ratings and votes waiting there), as the answer form's own
 * post with its idempotency key and the revision it was written over, and sent shortly after; a save
 * that does not reach the API stays kept and is sent again (with growing waits, and at once when the
 * browser is back online), also after a reload, a crash or a new sign-in. While this page is open it
 * sends them itself and shows each one's state beside its form; left unsent, the outbox sends them from
 * any other page (the form's action, with the same key). A save the API refuses as stale (STALE_ANSWER:
 * someone saved in between) is not retried: both versions are shown and the person chooses. Nothing
 * typed is dropped unless they choose theirs.
 */
export class AnswerAutosave {
  readonly state = $state<Record<string, SaveState>>({});
  readonly refusals = $state<Record<string, string>>({});
  readonly conflicts = $state<Record<string, { mine: AnswerDraft; theirs: AnswerView | null }>>({});
  readonly revisions = $state<Record<string, number>>({});
  readonly savedAt = $state<Record<string, string>>({});
  private unsent = $state<Record<string, Unsent>>({});
  private timers = new Map<string, ReturnType<typeof setTimeout>>();
  private attempts = new Map<string, number>();
  private sending = new Set<string>();
  private readonly online = () => this.retryAll();
  private readonly giveBack: () => void;
  private readonly unwatch: () => void;

  constructor(
    private readonly assessmentId: string,
    answers: AnswerView[],
    /** Whose answers these are (the viewer's id): the outbox keeps each person's writes apart. */
    private readonly person: string,
    /** Each indicator's code, which the answer form posts beside its id. */
    private readonly codes: Record<string, string>,
    /** Told when a save lands, e.g. to refresh the page's progress. */
    private readonly saved: (answer: AnswerView) => void = () => {},
  ) {
    for (const a of answers) {
      this.revisions[a.schemeIndicator.id] = a.revision;
      this.state[a.schemeIndicator.id] = 'saved';
      this.savedAt[a.schemeIndicator.id] = a.updatedAt;
    }
    this.giveBack = outbox.handOver(this.path);
    addEventListener('online', this.online);
    this.unwatch = $effect.root(() => {
      $effect(() => {
        if (seal.opens === person) void this.readBackOpened();
      });
    });
  }

  /** The assessment's pages: its answers post to any of its areas' `?/save`. */
  private get path() {
    return `/certification/assessments/${this.assessmentId}/`;
  }

  /** What was typed here and not yet taken, e.g. before the page was reloaded offline; null if nothing. */
  kept(indicatorId: string): AnswerDraft | null {
    return this.unsent[indicatorId]?.draft ?? null;
  }

  /** Reads back the answers kept on the device from an earlier visit, and sends them. */
  async resume() {
    await this.adoptFormer();
    await this.readBack();
    for (const id of Object.keys(this.unsent)) {
      this.state[id] = 'pending';
      this.schedule(id, 0);
    }
  }

  /** Takes up the answers kept on the device that this page can open and does not hold yet; returns their indicators. */
  private async readBack(): Promise<string[]> {
    const taken: string[] = [];
    for (const entry of await outbox.of(this.person)) {
      if (entry.kind !== 'answer' || !new URL(entry.action).pathname.startsWith(this.path)) continue;
      const data = new FormData();
      for (const [name, value] of entry.fields) data.append(name, value);
      const id = String(data.get('schemeIndicatorId'));
      if (this.unsent[id]?.key === entry.key) continue;
      // Typed again since this page opened: the newer edit stands, the older entry goes.
      if (this.unsent[id]) await outbox.discard(entry.key);
      else {
        this.unsent[id] = { draft: draftOfForm(data), base: Number(data.get('revision')) || 0, key: entry.key };
        taken.push(id);
      }
    }
    return taken;
  }

  /** A page loaded without a link opens what was kept before only once the person's key comes with the link. */
  private async readBackOpened() {
    for (const id of await this.readBack()) {
      this.state[id] = 'pending';
      this.schedule(id, 0);
    }
  }

  /** Answers an earlier version kept in localStorage move to the outbox. */
  private async adoptFormer() {
    let former: Record<string, { draft: AnswerDraft; base: number }> = {};
    try {
      former = JSON.parse(localStorage.getItem(formerKey(this.assessmentId)) ?? '{}');
    } catch {
      // Unreadable: nothing to adopt.
    }
    for (const [id, unsent] of Object.entries(former)) await this.keep(id, unsent);
    localStorage.removeItem(formerKey(this.assessmentId));
  }

  /** Takes an edit: kept at once, sent shortly after unless another edit comes first. */
  edit(indicatorId: string, draft: AnswerDraft) {
    if (this.conflicts[indicatorId]) {
      this.conflicts[indicatorId].mine = draft;
      void this.keep(indicatorId, { draft, base: this.unsent[indicatorId]?.base ?? this.revisions[indicatorId] ?? 0 });
      return;
    }
    void this.keep(indicatorId, { draft, base: this.revisions[indicatorId] ?? 0 });
    this.state[indicatorId] = 'pending';
    delete this.refusals[indicatorId];
    this.schedule(indicatorId, WAIT_MS);
  }

  /** Sends now (the form's own button). */
  saveNow(indicatorId: string, draft: AnswerDraft) {
    this.edit(indicatorId, draft);
    if (!this.conflicts[indicatorId]) this.schedule(indicatorId, 0);
  }

  /** After a conflict: save mine over the version saved in between. */
  keepMine(indicatorId: string) {
    const conflict = this.conflicts[indicatorId];
    if (!conflict) return;
    const base = conflict.theirs?.revision ?? this.revisions[indicatorId] ?? 0;
    delete this.conflicts[indicatorId];
    this.revisions[indicatorId] = base;
    void this.keep(indicatorId, { draft: conflict.mine, base });
    this.state[indicatorId] = 'pending';
    this.schedule(indicatorId, 0);
  }

  /** After a conflict: drop mine and take the version saved in between; returns it for the form. */
  takeTheirs(indicatorId: string): AnswerView | null {
    const theirs = this.conflicts[indicatorId]?.theirs ?? null;
    delete this.conflicts[indicatorId];
    this.forget(indicatorId);
    if (theirs) {
      this.revisions[indicatorId] = theirs.revision;
      this.savedAt[indicatorId] = theirs.updatedAt;
    }
    this.state[indicatorId] = 'saved';
    return theirs;
  }

  destroy() {
    removeEventListener('online', this.online);
    this.unwatch();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.giveBack();
  }

  /** Kept on the device as the answer form's post (a new key: another payload), in place of the edit before it. */
  private keep(indicatorId: string, unsent: Omit<Unsent, 'key'>) {
    const before = this.unsent[indicatorId]?.key;
    const key = newKey();
    this.unsent[indicatorId] = { ...unsent, key };
    const entry: OutboxEntry = {
      key,
      person: this.person,
      kind: 'answer',
      action: new URL(`${location.pathname}?/save`, location.origin).href,
      page: location.pathname,
      fields: [
        ['schemeIndicatorId', indicatorId],
        ['code', this.codes[indicatorId] ?? ''],
        ['revision', String(unsent.base)],
        ['idempotencyKey', key],
        ...fieldsOfDraft(unsent.draft),
      ],
      text: unsent.draft.notes,
      queuedAt: Date.now(),
    };
    // In this order on the one store: the new entry is written before the one it replaces goes.
    const kept = outbox.keep(entry);
    return before ? kept.then(() => outbox.discard(before)) : kept;
  }

  private forget(indicatorId: string) {
    const key = this.unsent[indicatorId]?.key;
    delete this.unsent[indicatorId];
    if (key) void outbox.discard(key);
  }

  private schedule(indicatorId: string, ms: number) {
    clearTimeout(this.timers.get(indicatorId));
    this.timers.set(indicatorId, setTimeout(() => void this.send(indicatorId), ms));
  }

  private retryAll() {
    for (const [id, s] of Object.entries(this.state)) if (s === 'offline' && this.unsent[id]) this.schedule(id, 0);
  }

  private async send(indicatorId: string) {
    const unsent = this.unsent[indicatorId];
    if (!unsent || this.conflicts[indicatorId]) return;
    if (this.sending.has(indicatorId)) return this.schedule(indicatorId, WAIT_MS);
    if (valueInvalid(unsent.draft)) {
      this.state[indicatorId] = 'refused';
      this.refusals[indicatorId] = 'certification.answer.valueInvalid';
      return;
    }
    this.sending.add(indicatorId);
    this.state[indicatorId] = 'saving';
    const result = await browserClient()
      .mutation(SaveAnswerDocument, { input: { assessmentId: this.assessmentId, schemeIndicatorId: indicatorId, expectedRevision: unsent.base, idempotencyKey: unsent.key, ...answerInput(unsent.draft) } }, { requestPolicy: 'network-only' })
      .toPromise();
    this.sending.delete(indicatorId);
    const problem = problemOf(result.error);
    const answer = result.data?.saveAnswer;
    if (answer) {
      this.attempts.delete(indicatorId);
      this.revisions[indicatorId] = answer.revision;
      this.savedAt[indicatorId] = answer.updatedAt;
      const now = this.unsent[indicatorId];
      if (now && sameDraft(now.draft, unsent.draft)) {
        this.forget(indicatorId);
        this.state[indicatorId] = 'saved';
      } else if (now) {
        // Edited while this save was on its way: the newer edit goes over the revision just saved.
        void this.keep(indicatorId, { draft: now.draft, base: answer.revision });
        this.schedule(indicatorId, WAIT_MS);
      }
      this.saved(answer);
    } else if (problem?.reason === 'STALE_ANSWER') {
      const current = await browserClient().query(CurrentAnswersDocument, { id: this.assessmentId }, { requestPolicy: 'network-only' }).toPromise();
      const theirs = current.data?.certificationAssessment.answers.find((a) => a.schemeIndicator.id === indicatorId) ?? null;
      this.conflicts[indicatorId] = { mine: this.unsent[indicatorId]?.draft ?? unsent.draft, theirs };
      this.state[indicatorId] = 'conflict';
    } else if (!problem || problem.code === 'NETWORK' || problem.code === 'INTERNAL_SERVER_ERROR') {
      // Not reached, or the server failed: keep it and try again.
      const attempt = this.attempts.get(indicatorId) ?? 0;
      this.attempts.set(indicatorId, attempt + 1);
      this.state[indicatorId] = 'offline';
      this.schedule(indicatorId, RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]);
    } else {
      // Refused for what it says (a value missing, the assessment submitted elsewhere): kept, shown, sent again on the next edit.
      this.state[indicatorId] = 'refused';
      this.refusals[indicatorId] = problem.reason ? `errors.${problem.reason}` : `errors.${problem.code}`;
    }
  }
}
