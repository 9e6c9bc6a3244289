import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The repository root, found by walking up from this file to our package.json.
 * The same code runs from `server/` (tests) and `dist/server/` (build), so a fixed
 * number of `..` would be wrong in one of them.
 */
function findProjectRoot(start: string): string {
  let dir = start;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (name === 'no-lose') return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

export const projectRoot = findProjectRoot(import.meta.dirname);
export const clientDistDir = path.join(projectRoot, 'dist', 'client', 'browser');
