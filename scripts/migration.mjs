// Migration commands for operators and developers, on DATABASE_URL or the embedded
// PostgreSQL (started here the same way `npm start` does).
//   node scripts/migration.mjs run | revert | show
//   node scripts/migration.mjs create <name>     (empty migration)
//   node scripts/migration.mjs generate <name>   (diff of entities against the database)
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const [command, rawName] = process.argv.slice(2);
const kebab = (s) =>
  s
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^a-zA-Z0-9]+/g, '-')
    .toLowerCase();
const pascal = (s) =>
  kebab(s)
    .split('-')
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');

function register(file, className) {
  const index = path.join(root, 'migrations', 'index.ts');
  let src = readFileSync(index, 'utf8');
  const base = path.basename(file, '.ts');
  src = src.replace(
    /\nexport const migrations = \[/,
    `import { ${className} } from './${base}.js';\n\nexport const migrations = [`,
  );
  src = src.replace(/\n\];\s*$/, `\n  ${className},\n];\n`);
  writeFileSync(index, src);
  console.log(`Registered ${className} in migrations/index.ts`);
}

if (command === 'create') {
  if (!rawName) throw new Error('usage: npm run migration:create -- <name>');
  const ts = Date.now();
  const className = `${pascal(rawName)}${ts}`;
  const file = path.join(root, 'migrations', `${ts}-${kebab(rawName)}.ts`);
  writeFileSync(
    file,
    `import type { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${className} implements MigrationInterface {\n  name = '${className}';\n\n  async up(q: QueryRunner): Promise<void> {\n    await q.query(\`\`);\n  }\n\n  async down(q: QueryRunner): Promise<void> {\n    await q.query(\`\`);\n  }\n}\n`,
  );
  register(file, className);
  console.log(`Created ${path.relative(root, file)}`);
  process.exit(0);
}

const { loadEnv } = await import('../dist/server/config/env.js');
const { startEmbeddedPostgres } = await import('../dist/server/database/embedded-postgres.js');
const { runMigrations, cliDataSource } = await import('../dist/server/database/data-source.js');
const env = loadEnv();
let embedded;
let url = env.DATABASE_URL;
if (!url) {
  embedded = await startEmbeddedPostgres({
    dir: path.join(env.DATA_DIR, 'postgres'),
    port: env.EMBEDDED_PG_PORT,
    database: 'no_lose',
  });
  url = embedded.url;
}
try {
  if (command === 'run') {
    const done = await runMigrations(url);
    console.log(done.length ? `Applied: ${done.join(', ')}` : 'No pending migrations');
  } else if (command === 'revert' || command === 'show') {
    const ds = cliDataSource(url);
    await ds.initialize();
    if (command === 'revert') {
      await ds.undoLastMigration({ transaction: 'each' });
      console.log('Reverted the last migration');
    } else {
      const pending = await ds.showMigrations();
      console.log(pending ? 'There are pending migrations' : 'All migrations are applied');
    }
    await ds.destroy();
  } else if (command === 'generate') {
    if (!rawName) throw new Error('usage: npm run migration:generate -- <name>');
    await runMigrations(url);
    const ts = Date.now();
    const target = path.join('migrations', `${ts}-${kebab(rawName)}`);
    const res = spawnSync(
      'npx',
      [
        'typeorm',
        'migration:generate',
        '-d',
        'dist/server/database/cli-data-source.js',
        '-t',
        String(ts),
        target,
      ],
      {
        cwd: root,
        stdio: 'inherit',
        env: { ...process.env, DATABASE_URL: url },
      },
    );
    if (res.status === 0) register(`${target}.ts`, `${pascal(rawName)}${ts}`);
    else process.exitCode = res.status ?? 1;
  } else {
    throw new Error(`unknown command ${command}: use run | revert | show | create | generate`);
  }
} finally {
  await embedded?.stop();
}
