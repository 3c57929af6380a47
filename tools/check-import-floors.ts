/**
 * `node --import tsx tools/check-import-floors.ts`: the server's source imports run down the floors only.
 *
 * Every unit of packages/server/src (a top-level file, or a folder with everything in it) sits on a
 * floor. A module may import its own unit freely, and another unit only on a LOWER floor, so the
 * foundation never depends on HTTP wiring and the composition root is the one place that sees
 * everything. Tests (*.test.ts) compose whatever they exercise and are not checked.
 * Exits 1 and lists the offending imports when one runs up (or sideways, to a unit of the same floor).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../packages/server/src');

/** Lowest first. A unit missing here fails the check, so a new folder has to be placed on purpose. */
export const FLOORS: readonly (readonly string[])[] = [
  // 0 leaves: the caller type and rate families, clock/ids, roles, logging and failure containment,
  //   OData and TLS helpers
  ['caller.ts', 'system.ts', 'roles.ts', 'logging.ts', 'contain.ts', 'odata-query.ts', 'odata-response.ts', 'tls.ts'],
  // 1 configuration, and reading the caller off a request
  ['config.ts', 'caller-of.ts'],
  // 2 primitives: opening the store, tokens and keys, signed links, the action bus, agent packaging,
  //   investigation package reading
  ['open-store.ts', 'data-dir-lock.ts', 'auth', 'downloads', 'events', 'agent-package', 'investigations'],
  // 3 Fastify plugins, people (sessions, OIDC), background jobs
  ['plugins', 'people', 'jobs'],
  // 4 the core services built once, and the agent dispatch machinery
  ['services.ts', 'dispatch'],
  // 5 HTTP routes, one file per resource family; the web UI's own routes
  ['routes', 'ui'],
  // 6 buildApp, first-start bootstrap, the admin surface the CLI composes
  ['app.ts', 'bootstrap.ts', 'admin.ts'],
  // 7 wiring dispatch onto a built app, and test harnesses that build apps
  ['wire-dispatch.ts', 'testing'],
  // 8 the composition root
  ['main.ts'],
  // 9 the package's public surface
  ['index.ts'],
];

/**
 * Known exceptions, each with its reason. Kept short on purpose: every entry is a debt.
 * key: `${from unit}/${file} -> ${to unit}` as printed by this script.
 */
export const ALLOWED = new Map<string, string>([]);

const floorOf = new Map<string, number>();
FLOORS.forEach((units, floor) => units.forEach((unit) => floorOf.set(unit, floor)));

function unitOf(file: string): string {
  const first = relative(SRC, file).split(sep)[0]!;
  // Specifiers name the emitted .js; the unit is the source .ts.
  return first.endsWith('.js') ? `${first.slice(0, -3)}.ts` : first;
}

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) yield path;
  }
}

export interface FloorViolation {
  file: string;
  specifier: string;
  from: string;
  to: string;
}

export function findViolations(): { violations: FloorViolation[]; unplaced: string[] } {
  const violations: FloorViolation[] = [];
  const unplaced = new Set<string>();
  const importRe = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'(\.{1,2}\/[^']+)'|import\(\s*'(\.{1,2}\/[^']+)'\s*\)/g;
  for (const file of sources(SRC)) {
    const from = unitOf(file);
    if (!floorOf.has(from)) unplaced.add(from);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(importRe)) {
      const specifier = (match[1] ?? match[2])!;
      const target = resolve(dirname(file), specifier);
      if (!target.startsWith(SRC + sep)) continue;
      const to = unitOf(target);
      if (to === from) continue;
      if (!floorOf.has(to)) unplaced.add(to);
      const rel = relative(SRC, file).split(sep).join('/');
      const key = `${rel} -> ${to}`;
      if (ALLOWED.has(key)) continue;
      if ((floorOf.get(to) ?? Infinity) >= (floorOf.get(from) ?? -Infinity)) violations.push({ file: rel, specifier, from, to });
    }
  }
  return { violations, unplaced: [...unplaced] };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { violations, unplaced } = findViolations();
  for (const unit of unplaced) console.error(`unit ${unit} is on no floor: add it to FLOORS in tools/check-import-floors.ts`);
  for (const v of violations) console.error(`${v.file}: '${v.specifier}' imports ${v.to} (floor ${floorOf.get(v.to) ?? '?'}) from ${v.from} (floor ${floorOf.get(v.from) ?? '?'})`);
  console.error(`${violations.length} import(s) up the floors, ${unplaced.length} unit(s) on no floor`);
  process.exit(violations.length > 0 || unplaced.length > 0 ? 1 : 0);
}
