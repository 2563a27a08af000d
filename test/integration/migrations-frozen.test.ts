/**
 * Issue 11: released migrations never change. Each released migration's SQL text is held to the
 * SHA-256 it had when it was released; a change to one (or a schema module feeding one) fails here.
 * A schema change is a new migration: add it at the end of `migrations` and its checksum below.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../src/db/migrations.js';
import { ROOT } from '../helpers.js';

/** Checksums of the released migrations, in order (1, 2, …). */
const RELEASED = [
  '350f9c429b1fc006ff056e5eb8bedec8b7c9e862d7692b1ca2250f8a272afd6b',
  '7d1c0d1a674d3175efcc04356255bc0b0ddb8d2b270fc978dcb6a3f7c80a2b56',
];

const sha256 = (text: string) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

describe('released migrations are frozen', () => {
  it('every released migration has the text it was released with', () => {
    expect(migrations.length).toBeGreaterThanOrEqual(RELEASED.length);
    expect(migrations.slice(0, RELEASED.length).map(sha256)).toEqual(RELEASED);
  });

  it('every migration is a literal: no migration module imports schema text from elsewhere', () => {
    const files = [path.join(ROOT, 'src/db/migrations.ts'), ...fs.readdirSync(path.join(ROOT, 'src/db/released')).map((f) => path.join(ROOT, 'src/db/released', f))];
    for (const file of files) {
      const imports = [...fs.readFileSync(file, 'utf8').matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]!);
      const allowed = file.endsWith('migrations.ts') ? (spec: string) => /^\.\/(sqlite|released\/[\w-]+)\.js$|^\.\.\/errors\.js$/.test(spec) : () => false;
      expect(imports.filter((spec) => !allowed(spec)), file).toEqual([]);
    }
    // a literal has no ${…} holes
    for (const file of fs.readdirSync(path.join(ROOT, 'src/db/released'))) {
      expect(fs.readFileSync(path.join(ROOT, 'src/db/released', file), 'utf8'), file).not.toContain('${');
    }
  });
});
