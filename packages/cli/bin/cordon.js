#!/usr/bin/env node
// The `cordon` bin npm links at `npm ci`. It is committed, not built: npm skips linking a bin whose
// file does not exist yet, and on a fresh clone dist/ does not exist until `npm run build`.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('cordon: packages/cli/dist/main.js is missing: run `npm run build` first\n');
  process.exit(1);
}
await import(entry.href);
