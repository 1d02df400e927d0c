import { DataloaderType, defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from '../entities.js';
import { migrationsList } from './migrations/index.js';

export interface OrmOptions {
  clientUrl: string;
  poolMax: number;
  debug?: boolean;
}

/** The one MikroORM configuration: explicit entities and migrations, no discovery, no schema sync. */
export function ormConfig({ clientUrl, poolMax, debug = false }: OrmOptions): Options {
  return defineConfig({
    clientUrl,
    entities,
    extensions: [Migrator],
    discovery: { disableDynamicFileAccess: true, requireEntitiesArray: true },
    // Reference.load() and Collection.load() batch across a request's entity manager.
    dataloader: DataloaderType.ALL,
    forceUtcTimezone: true,
    pool: { min: 0, max: poolMax },
    debug,
    allowGlobalContext: false,
    migrations: {
      migrationsList,
      transactional: true,
      snapshot: false,
      tableName: 'mikro_orm_migrations',
      silent: true,
    },
  });
}

export default ormConfig({ clientUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/consulta', poolMax: 2 });
