/**
 * The layers of STYLE.md, held by a test (issue 11): every import (static, `export … from`, dynamic
 * `import()`) of every TypeScript file under src/, jobs/ and bench/ is resolved and checked against the
 * rules below. A forbidden import fails with the file and the path it imports.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.js';

/** Where a file lives, by its path relative to the repository. */
function layerOf(rel: string): string {
  if (rel.startsWith('src/domain/')) return 'domain';
  if (rel.startsWith('src/db/')) return 'db';
  if (rel.startsWith('src/app/')) return 'app';
  if (rel.startsWith('src/cli/')) return 'cli';
  if (rel.startsWith('src/fsx/')) return 'fsx';
  if (rel.startsWith('jobs/')) return 'jobs';
  if (rel.startsWith('bench/')) return 'bench';
  if (rel.startsWith('fixtures/')) return 'fixtures';
  return rel; // src/errors.ts, src/csv.ts, src/tzdb.ts: each its own
}

/** Which layers each layer may not import. Node built-ins and packages are checked separately. */
const FORBIDDEN: Record<string, (to: string) => boolean> = {
  // pure: only itself
  domain: (to) => to !== 'domain',
  db: (to) => ['app', 'cli', 'jobs', 'bench'].includes(to),
  jobs: (to) => ['app', 'cli', 'bench'].includes(to),
  fsx: (to) => ['app', 'cli', 'jobs', 'db', 'bench'].includes(to),
  'src/csv.ts': (to) => ['app', 'cli', 'jobs', 'db', 'bench'].includes(to),
  'src/errors.ts': (to) => to !== 'domain',
  'src/tzdb.ts': (to) => to !== 'domain',
  app: (to) => ['cli', 'bench'].includes(to),
  cli: () => false,
  bench: (to) => ['cli'].includes(to),
  fixtures: (to) => ['cli', 'app', 'bench'].includes(to),
};

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|import\(\s*(?:\/\*[^*]*\*\/\s*)?['"`]([^'"`$]+)['"`]/g;

function files(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.join(dir, f));
}

/** A file's text without its comment lines. */
function codeOf(rel: string): string {
  return fs.readFileSync(path.join(ROOT, rel), 'utf8').replace(/^\s*(\/\/.*|\*.*|\/\*.*)$/gm, '');
}

export function importsOf(rel: string): Array<{ spec: string; to: string | null }> {
  const text = codeOf(rel);
  const out: Array<{ spec: string; to: string | null }> = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = (m[1] ?? m[2])!;
    if (!spec.startsWith('.')) {
      out.push({ spec, to: null });
      continue;
    }
    out.push({ spec, to: path.relative(ROOT, path.resolve(ROOT, path.dirname(rel), spec)).replace(/\.js$/, '.ts') });
  }
  return out;
}

describe('architecture: imports between layers', () => {
  const all = [...files('src'), ...files('jobs'), ...files('bench')];

  it('finds the files and their imports', () => {
    expect(all.length).toBeGreaterThan(50);
    expect(importsOf('jobs/arrears.ts').some((i) => i.to === 'src/db/lists/arrears.ts')).toBe(true);
  });

  it('no forbidden import between src/domain, src/db, src/app, src/cli, jobs/ and the shared modules', () => {
    const problems: string[] = [];
    for (const rel of all) {
      const from = layerOf(rel);
      for (const { spec, to } of importsOf(rel)) {
        if (to === null) {
          // the pure layer uses no Node API (no file, no environment) and no package
          if (from === 'domain' || from === 'src/errors.ts') problems.push(`${rel} → ${spec}`);
          continue;
        }
        const layer = layerOf(to);
        if (FORBIDDEN[from]?.(layer) && layer !== from) problems.push(`${rel} → ${spec} (${from} may not import ${layer})`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('a forbidden import is caught (the checker itself)', () => {
    expect(FORBIDDEN.domain!('db')).toBe(true);
    expect(FORBIDDEN.jobs!('app')).toBe(true);
    expect(FORBIDDEN.db!('cli')).toBe(true);
    expect(layerOf('src/domain/time.ts')).toBe('domain');
  });

  it('nothing in src/domain reads the clock, a file or the environment', () => {
    const problems: string[] = [];
    for (const rel of files('src/domain')) {
      const text = codeOf(rel);
      for (const [what, re] of [['process', /\bprocess\./], ['Date.now', /\bDate\.now\(/], ['new Date()', /new Date\(\)/]] as const) {
        if (re.test(text)) problems.push(`${rel}: ${what}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
