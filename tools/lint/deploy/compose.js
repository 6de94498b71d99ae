'use strict';
// docker-compose.yml: the Compose Specification schema (tools/lint/schemas/compose-spec.json), then
// what `docker compose` would only find out while starting containers: dangling depends_on,
// waiting for the health of a service without a healthcheck, missing bind-mount or build paths.

const fs = require('node:fs');
const path = require('node:path');
const Ajv2019 = require('ajv/dist/2019');
const { loadYaml, schemaProblems, formatPath, isObject } = require('./report');

const COMPOSE_SCHEMA = require('../schemas/compose-spec.json');
const ONE_SHOT_RESTARTS = new Set([undefined, 'no', 'on-failure']);

let validateSchema;

function composeValidator() {
  if (validateSchema) return validateSchema;
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  // Compose's own format for `expose` entries ("3000", "3000-3005/tcp"); nothing else to check.
  ajv.addFormat('expose', true);
  const { $schema: _ignored, ...schema } = COMPOSE_SCHEMA;
  validateSchema = ajv.compile(withoutLegacyIds(schema));
  return validateSchema;
}

/**
 * The published schema still labels sub-schemas with draft-04 `id` strings, which Ajv rejects; they
 * are only labels (every $ref is a JSON pointer), so they are dropped. A property that happens to be
 * called "id" (under `properties`) is kept.
 */
function withoutLegacyIds(node, underProperties = false) {
  if (Array.isArray(node)) return node.map((n) => withoutLegacyIds(n));
  if (!isObject(node)) return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'id' && !underProperties && typeof value === 'string') continue;
    out[key] = withoutLegacyIds(value, key === 'properties' || key === 'patternProperties');
  }
  return out;
}

/**
 * ${VAR:-default}, ${VAR-default} and ${VAR} as Compose interpolates them, with every variable
 * unset: the lint judges the file with its defaults, not with whatever this shell exports.
 */
function interpolate(value) {
  if (typeof value === 'string') {
    return value
      .replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?(?::?[?+][^}]*)?\}/g, (_m, _name, fallback) => fallback || '')
      .replace(/\$\$/g, '$');
  }
  if (Array.isArray(value)) return value.map(interpolate);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v)]));
  return value;
}

/** `environment` as a Map, whether written as a mapping or as a list of KEY=VALUE. */
function environmentOf(service) {
  const env = service.environment;
  if (Array.isArray(env)) {
    return new Map(env.map((entry) => {
      const [key, ...rest] = String(entry).split('=');
      return [key, rest.length ? rest.join('=') : undefined];
    }));
  }
  return new Map(Object.entries(env || {}).map(([k, v]) => [k, v == null ? v : String(v)]));
}

/** `depends_on` as a Map name -> condition, whether a list or a mapping. */
function dependsOnOf(service) {
  const deps = service.depends_on;
  if (Array.isArray(deps)) return new Map(deps.map((name) => [name, 'service_started']));
  return new Map(Object.entries(deps || {}).map(([name, d]) => [name, (d && d.condition) || 'service_started']));
}

/**
 * Validates the Compose file and returns its services (interpolated) with the document, or
 * undefined when the file does not exist or does not parse.
 */
function validateCompose(report, file, dockerfileStages) {
  if (!fs.existsSync(path.join(report.root, file))) {
    report.add(file, 'missing');
    return undefined;
  }
  const docs = loadYaml(report, file);
  if (docs.length !== 1) {
    if (docs.length > 1) report.add(file, 'must hold exactly one YAML document');
    return undefined;
  }
  const doc = docs[0];
  const validate = composeValidator();
  if (!validate(doc.value)) {
    for (const p of schemaProblems(validate.errors, doc.value)) report.add(file, p.message, doc.lineOf(p.keys));
    return undefined;
  }
  const services = interpolate(doc.value.services || {});
  const add = (keys, message) => report.add(file, `services.${formatPath(keys.slice(1))}: ${message}`, doc.lineOf(keys));

  for (const [name, service] of Object.entries(services)) {
    const at = ['services', name];
    for (const [dep, condition] of dependsOnOf(service)) {
      const target = services[dep];
      if (!target) {
        add([...at, 'depends_on', dep], `depends on "${dep}", which is not a service of this file`);
      } else if (condition === 'service_healthy' && !(target.healthcheck && !target.healthcheck.disable)) {
        add([...at, 'depends_on', dep], `waits for "${dep}" to be healthy, but "${dep}" has no healthcheck`);
      } else if (condition === 'service_completed_successfully' && !ONE_SHOT_RESTARTS.has(target.restart)) {
        add([...at, 'depends_on', dep], `waits for "${dep}" to complete, but "${dep}" restarts (restart: ${target.restart})`);
      }
    }
    for (const [i, volume] of (service.volumes || []).entries()) {
      const source = typeof volume === 'string' ? volume.split(':')[0] : volume.type === 'bind' && volume.source;
      if (source && /^(\.|\/)/.test(source) && !fs.existsSync(path.resolve(report.root, source))) {
        add([...at, 'volumes', i], `bind-mount source ${source} does not exist`);
      }
    }
    if (service.build) {
      const build = typeof service.build === 'string' ? { context: service.build } : service.build;
      const context = path.resolve(report.root, build.context || '.');
      const dockerfile = path.resolve(context, build.dockerfile || 'Dockerfile');
      if (!fs.existsSync(context)) add([...at, 'build'], `build context ${build.context} does not exist`);
      else if (!fs.existsSync(dockerfile)) add([...at, 'build'], `Dockerfile ${build.dockerfile || 'Dockerfile'} does not exist`);
      const stages = dockerfileStages.get(path.relative(report.root, dockerfile).split(path.sep).join('/'));
      if (build.target && stages && !stages.includes(build.target)) {
        add([...at, 'build', 'target'], `build target "${build.target}" is not a stage of ${build.dockerfile} (${stages.join(', ')})`);
      }
    }
  }
  return { file, doc, services };
}

module.exports = { validateCompose, environmentOf, dependsOnOf, interpolate };
