// Entry for the TypeORM CLI (scripts/migration.mjs generate): it needs a module whose
// default export is a DataSource. The script passes DATABASE_URL (embedded or real).
import { loadEnv } from '../config/env.js';
import { cliDataSource } from './data-source.js';

const url = loadEnv().DATABASE_URL;
if (!url) throw new Error('DATABASE_URL must be set for the TypeORM CLI');
export default cliDataSource(url);
