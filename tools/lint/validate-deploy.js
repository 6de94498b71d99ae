#!/usr/bin/env node
'use strict';
/*
 * Validates the deployment files offline (no Docker engine, no cluster), as `npm run lint:deploy`:
 *
 *   docker-compose.yml       Compose Specification schema; depends_on targets, healthchecks and paths
 *   deploy/k8s/**, deploy/db  every YAML document against the schema of its apiVersion/kind (strict:
 *                            unknown fields and unknown kinds fail); kustomizations; probes,
 *                            resources, security context, Prometheus annotations; Secrets only as
 *                            templates
 *   deploy/docker/Dockerfile named stages, ARG SERVICE, non-root USER, HEALTHCHECK, npm ci, COPY
 *                            sources present in the build context (.dockerignore)
 *   consistency              every services/<name> with a package.json has a Compose service and
 *                            deploy/k8s/services/<name>, and nothing exists for a service that
 *                            does not; ports, databases and gateway routes agree everywhere
 *   deploy/kafka/topics.yaml parses and passes deploy/kafka/create-topics.js' own checks
 *
 * Prints one `file:line: message` per problem and a summary; exits 1 on any problem.
 *
 * usage: node tools/lint/validate-deploy.js [--root <repository root>]
 * The functions are exported for scripts and tests: validateDeploy(root) -> Report.
 */

const fs = require('node:fs');
const path = require('node:path');
const { Report, loadYaml } = require('./deploy/report');
const { validateCompose } = require('./deploy/compose');
const { validateKubernetes } = require('./deploy/kubernetes');
const { lintDockerfile } = require('./deploy/dockerfile');
const { serviceDirectories, checkCompose, checkKubernetes, checkDatabaseScripts } = require('./deploy/consistency');

const PATHS = {
  compose: 'docker-compose.yml',
  dockerfile: 'deploy/docker/Dockerfile',
  dockerignore: '.dockerignore',
  k8s: 'deploy/k8s',
  db: 'deploy/db',
  topics: 'deploy/kafka/topics.yaml',
  createTopics: 'deploy/kafka/create-topics.js',
};

function validateDeploy(root) {
  const report = new Report(root);
  const names = serviceDirectories(root);

  const stages = lintDockerfile(report, PATHS.dockerfile, PATHS.dockerignore);
  const compose = validateCompose(report, PATHS.compose, new Map([[PATHS.dockerfile, stages]]));
  const apps = compose ? checkCompose(report, compose, names) : undefined;

  // deploy/db holds the kustomization that packages its scripts for deploy/k8s/db-init.
  const k8s = validateKubernetes(report, [PATHS.k8s, PATHS.db]);
  checkKubernetes(report, k8s, names, apps, PATHS);
  checkDatabaseScripts(report, PATHS.db);

  checkTopics(report);
  return report;
}

/** topics.yaml is someone else's format: its own loader knows the rules, so ask it. */
function checkTopics(report) {
  const file = PATHS.topics;
  if (!fs.existsSync(path.join(report.root, file))) return;
  const docs = loadYaml(report, file);
  if (docs.length === 0) return; // syntax errors were reported
  const loader = path.join(report.root, PATHS.createTopics);
  if (!fs.existsSync(loader)) return;
  try {
    const { loadSpec } = require(loader);
    if (typeof loadSpec !== 'function') return;
    loadSpec(path.join(report.root, file));
  } catch (err) {
    const problems = Array.isArray(err.problems) ? err.problems : [err.message];
    for (const problem of problems) report.add(file, problem);
  }
}

function main(argv) {
  const at = argv.indexOf('--root');
  const root = path.resolve(at >= 0 ? argv[at + 1] || '.' : path.join(__dirname, '..', '..'));
  const report = validateDeploy(root);
  const lines = report.lines();
  if (lines.length === 0) {
    console.log(`deploy: ${report.files.size} files valid`);
    return 0;
  }
  for (const line of lines) console.error(line);
  const files = new Set(report.problems.map((p) => p.file)).size;
  console.error(`deploy: ${lines.length} problem${lines.length === 1 ? '' : 's'} in ${files} of ${report.files.size} files`);
  return 1;
}

module.exports = { validateDeploy, PATHS };

if (require.main === module) process.exitCode = main(process.argv.slice(2));
