import express, { type Router } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { AppServices } from '../context.js';
import { certificateRoutes } from './certificate.routes.js';
import { evidenceDownloadRoutes, evidenceUploadRoutes } from './evidence.routes.js';
import { questionnaireDownloadRoutes, questionnaireUploadRoutes } from './questionnaire.routes.js';

/** What certification serves as files, under `/exports/certification` (the web forwards `/exports/` to the API). */
export function certificationDownloadRoutes(orm: MikroORM, app: AppServices): Router {
  return express.Router().use(evidenceDownloadRoutes(orm, app), questionnaireDownloadRoutes(orm, app), certificateRoutes(orm, app));
}

/** What certification takes as files, under `/certification` (posted by the web's form actions, server to server). */
export function certificationUploadRoutes(orm: MikroORM, app: AppServices): Router {
  return express.Router().use(evidenceUploadRoutes(orm, app), questionnaireUploadRoutes(orm, app));
}
