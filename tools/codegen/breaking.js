// npm run proto:breaking: `buf breaking` for proto/ against a base, so a change that would break
// existing consumers of a topic fails CI instead of reaching them. The base, in order:
//   1. BUF_BREAKING_AGAINST, any buf input (e.g. `.git#branch=release`, a directory, an image);
//   2. where HEAD forked from origin/main, when HEAD is not already on it;
//   3. the parent commit of HEAD.
// With no base that holds proto definitions yet, it says why and succeeds: there is nothing to break.
const { git, runBuf } = require('./workspace');

function resolveBase() {
  const explicit = process.env.BUF_BREAKING_AGAINST;
  if (explicit) return { input: explicit, description: `BUF_BREAKING_AGAINST=${explicit}` };

  const head = commitOf('HEAD');
  if (!head) return { skipReason: 'the repository has no commit yet' };

  const main = commitOf('origin/main');
  if (main && main !== head) {
    // The fork point, not the tip: changes merged to main since then are not this branch's to answer for.
    const forkPoint = git(['merge-base', head, main]) ?? main;
    if (forkPoint !== head) return gitBase(forkPoint, `origin/main (fork point ${forkPoint})`);
  }

  const parent = commitOf('HEAD~1');
  if (parent) return gitBase(parent, `HEAD~1 (${parent})`);
  return { skipReason: 'HEAD has no parent commit (a single-commit or shallow clone)' };
}

function gitBase(commit, description) {
  const protoFiles = git(['ls-tree', '-r', '--name-only', commit, '--', 'proto']) ?? '';
  if (!protoFiles.split('\n').some((file) => file.endsWith('.proto'))) {
    return { skipReason: `${description} has no .proto files yet` };
  }
  if (git(['cat-file', '-e', `${commit}:buf.yaml`]) === undefined) {
    return { skipReason: `${description} has no buf.yaml, so its proto files are not a buf workspace yet` };
  }
  // The common git dir also works from a linked worktree, where `.git` is a file.
  const gitDir = git(['rev-parse', '--path-format=absolute', '--git-common-dir']) ?? '.git';
  return { input: `${gitDir}#ref=${commit}`, description };
}

function commitOf(ref) {
  return git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
}

function breaking() {
  const base = resolveBase();
  if (base.skipReason) {
    console.log(`proto:breaking: nothing to compare against: ${base.skipReason}.`);
    return 0;
  }
  console.log(`proto:breaking: comparing proto/ with ${base.description}`);
  const status = runBuf(['breaking', '--against', base.input]);
  if (status === 0) console.log('proto:breaking: no breaking changes.');
  else console.error('proto:breaking: breaking changes found. Keep the old contract and publish the change on a new v<major> topic.');
  return status;
}

process.exitCode = breaking();
