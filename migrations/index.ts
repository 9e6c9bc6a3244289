// The ordered list of every migration. Imported explicitly (not globbed) so the same list
// works from TypeScript sources under Jest and from the compiled build.
// `npm run migration:generate -- <name>` / `migration:create` append new ones here.
import { InitialSchema1764000000000 } from './1764000000000-initial-schema.js';
import { CreateEvents1764000001000 } from './1764000001000-create-events.js';

export const migrations = [
  InitialSchema1764000000000,
  CreateEvents1764000001000,
];
