import { analysisStep } from './analysis/analysis.seed.js';
import type { PasswordHasher } from './auth/password.js';
import { ballotsStep } from './ballots/ballot.seed.js';
import { certificationStep } from './certification/certification.seed.js';
import { frameworksStep } from './frameworks/framework.seed.js';
import { meetingsStep } from './meetings/meeting.seed.js';
import { releasesStep } from './releases/release.seed.js';
import { consultationStep } from './rounds/consultation.seed.js';
import type { SeedStep } from './seed/seed.service.js';
import type { FileStore } from './storage/file-store.js';
import { peopleStep } from './users/people.seed.js';
import { workPlanStep } from './workplan/workplan.seed.js';

/** The demo, in dependency order: each feature's seed exports its step, and a new one is added here. */
export function demoSteps(hasher: PasswordHasher, files: FileStore): SeedStep[] {
  return [peopleStep(hasher), frameworksStep, releasesStep, consultationStep, ballotsStep, analysisStep, certificationStep(files), meetingsStep, workPlanStep];
}
