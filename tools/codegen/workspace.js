// Paths and process helpers shared by the codegen scripts; every command runs from the repository root.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '../..');
const GENERATED_DIR = 'libs/contracts/src/gen';
const EVENT_CATALOG = 'libs/contracts/EVENTS.md';

// The JavaScript launcher of the pinned @bufbuild/buf, started with this same node: no npx, no PATH lookup.
const BUF = require.resolve('@bufbuild/buf/bin/buf');

/** Runs a command with inherited output; returns its exit status. */
function run(command, args) {
  const result = spawnSync(command, args, { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

/** Runs buf with inherited output; returns its exit status. */
function runBuf(args) {
  return run(process.execPath, [BUF, ...args]);
}

/** Runs git and returns its trimmed stdout, or undefined when git fails (e.g. an unknown ref). */
function git(args) {
  const result = spawnSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' });
  if (result.error) throw result.error;
  return result.status === 0 ? result.stdout.trim() : undefined;
}

module.exports = { REPO_ROOT, GENERATED_DIR, EVENT_CATALOG, run, runBuf, git };
