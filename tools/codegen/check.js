// npm run gen:check: fails when the committed contracts differ from what proto/ generates.
const { GENERATED_DIR, EVENT_CATALOG, run, git } = require('./workspace');
const { generate } = require('./generate');

const GENERATED_PATHS = [GENERATED_DIR, EVENT_CATALOG];

function check() {
  const status = generate();
  if (status !== 0) {
    console.error('gen:check: code generation failed.');
    return status;
  }
  // Porcelain status also reports new and deleted files, which `git diff` alone would miss.
  const changes = git(['status', '--porcelain', '--untracked-files=all', '--', ...GENERATED_PATHS]);
  if (changes === undefined) {
    console.error('gen:check: git status failed; run it from inside the repository.');
    return 1;
  }
  if (changes === '') {
    console.log(`gen:check: ${GENERATED_PATHS.join(' and ')} match proto/.`);
    return 0;
  }
  run('git', ['--no-pager', 'diff', 'HEAD', '--', ...GENERATED_PATHS]);
  console.error(`\n${changes}\n`);
  console.error('gen:check: generated contracts differ from the committed ones. Run `npm run gen` and commit the result.');
  return 1;
}

process.exitCode = check();
