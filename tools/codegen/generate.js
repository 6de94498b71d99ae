// npm run gen: regenerates libs/contracts from proto/ with the local plugins in buf.gen.yaml.
const fs = require('node:fs');
const path = require('node:path');
const { REPO_ROOT, GENERATED_DIR, runBuf } = require('./workspace');

function generate() {
  // Start from an empty directory so a deleted or renamed .proto leaves no stale module behind.
  fs.rmSync(path.join(REPO_ROOT, GENERATED_DIR), { recursive: true, force: true });
  return runBuf(['generate']);
}

if (require.main === module) {
  process.exitCode = generate();
}

module.exports = { generate };
