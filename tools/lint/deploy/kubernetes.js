'use strict';
// Kubernetes manifests: every YAML document is checked against the schema of its apiVersion/kind
// (tools/lint/schemas/kubernetes.json), strictly: a misspelt or misplaced field is an error, as it
// would be with `kubectl apply --validate=strict`. Kustomization files are checked for what the
// schema cannot see: that what they reference exists, and that no manifest is left out of them.
// Then a few rules of this project that a schema cannot express (probes, security, metrics).

const fs = require('node:fs');
const path = require('node:path');
const Ajv = require('ajv');
const addFormats = require('ajv-formats');
const { loadYaml, schemaProblems, listFiles, isObject } = require('./report');

const KUBERNETES = require('../schemas/kubernetes.json');
const KUSTOMIZE_API = 'kustomize.config.k8s.io/v1beta1';
const KUSTOMIZATION_FIELDS = new Set([
  'apiVersion', 'kind', 'metadata', 'resources', 'components', 'namespace', 'namePrefix', 'nameSuffix',
  'labels', 'commonLabels', 'commonAnnotations', 'images', 'replicas', 'patches', 'configMapGenerator',
  'secretGenerator', 'generatorOptions', 'replacements', 'buildMetadata', 'sortOptions',
]);
const CLUSTER_SCOPED = new Set(['Namespace']);
// Secrets only as templates: a committed Secret would be a committed credential.
const SECRET_TEMPLATE = /\.example\.ya?ml$/;

let validators;

/**
 * Strict variant of a definition, as kubeconform's strict mode: objects reject unknown fields, and
 * the "or null" alternatives the upstream models add are removed (an empty `key:` in YAML is null
 * and almost always a mistake).
 */
function tighten(node) {
  if (Array.isArray(node)) return node.map(tighten);
  if (!isObject(node)) return node;
  if (Array.isArray(node.oneOf) && node.oneOf.length === 2 && node.oneOf.some((s) => s.type === 'null')) {
    const { oneOf, ...rest } = node;
    return tighten({ ...rest, ...oneOf.find((s) => s.type !== 'null') });
  }
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'nullable') continue;
    out[key] = key === 'properties' || key === 'patternProperties'
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tighten(v)]))
      : tighten(value);
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

function kubernetesValidators() {
  if (validators) return validators;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  // Kubernetes resource quantities: 100m, 1.5Gi, 2e3...
  ajv.addFormat('quantity', /^[+-]?(\d+|\d+\.\d*|\.\d+)([eE][+-]?\d+|[KMGTPE]i|[numkMGTPE])?$/);
  for (const [id, schema] of Object.entries(KUBERNETES.definitions)) ajv.addSchema(tighten(schema), id);
  validators = new Map(Object.entries(KUBERNETES.kinds).map(([key, id]) => [key, ajv.getSchema(id)]));
  return validators;
}

/**
 * Checks every YAML file under `dirs` and returns what it found, for the consistency checks:
 * `objects` (one per manifest document: file, doc, value) and `kustomizations` (by directory).
 */
function validateKubernetes(report, dirs) {
  const files = dirs.flatMap((dir) => listFiles(report.root, dir, /\.ya?ml$/));
  const objects = [];
  const kustomizations = new Map();
  const kinds = kubernetesValidators();

  for (const file of files) {
    for (const doc of loadYaml(report, file)) {
      const value = doc.value;
      if (value == null) continue; // an empty document, e.g. after a trailing `---`
      if (!isObject(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') {
        report.add(file, 'not a Kubernetes object: apiVersion and kind (strings) are required', doc.lineOf([]));
        continue;
      }
      if (value.kind === 'Kustomization') {
        checkKustomization(report, doc);
        kustomizations.set(path.posix.dirname(file), { file, doc, value });
        continue;
      }
      const validate = kinds.get(`${value.apiVersion}/${value.kind}`);
      if (!validate) {
        report.add(
          file,
          `unknown kind ${value.apiVersion}/${value.kind}; known: ${[...kinds.keys()].join(', ')} ` +
            '(a new kind needs its schema: see tools/lint/schemas/README.md)',
          doc.lineOf(['kind']),
        );
        continue;
      }
      // An object that fails its schema is kept (so "missing Deployment" is not reported on top),
      // but marked: the checks below would only trip over its broken structure.
      const valid = validate(value);
      if (!valid) {
        for (const p of schemaProblems(validate.errors, value)) report.add(file, `${value.kind}: ${p.message}`, doc.lineOf(p.keys));
      }
      objects.push({ file, doc, value, valid });
    }
  }

  checkNamespaces(report, objects.filter((o) => o.valid));
  checkReferencedByKustomization(report, files, kustomizations);
  for (const object of objects) if (object.valid) checkObject(report, object);
  return { objects, kustomizations };
}

function checkKustomization(report, doc) {
  const { file, value } = doc;
  const dir = path.posix.dirname(file);
  if (path.posix.basename(file) !== 'kustomization.yaml') {
    report.add(file, 'a Kustomization must be in a file named kustomization.yaml', doc.lineOf([]));
  }
  if (value.apiVersion !== KUSTOMIZE_API) report.add(file, `apiVersion must be ${KUSTOMIZE_API}`, doc.lineOf(['apiVersion']));
  for (const key of Object.keys(value)) {
    if (!KUSTOMIZATION_FIELDS.has(key)) report.add(file, `Kustomization: unknown field "${key}"`, doc.lineOf([key]));
  }
  const exists = (rel) => fs.existsSync(path.join(report.root, dir, rel));
  (value.resources || []).forEach((entry, i) => {
    const target = path.join(report.root, dir, String(entry));
    if (!fs.existsSync(target)) {
      report.add(file, `resources[${i}]: ${entry} does not exist`, doc.lineOf(['resources', i]));
    } else if (fs.statSync(target).isDirectory() && !fs.existsSync(path.join(target, 'kustomization.yaml'))) {
      report.add(file, `resources[${i}]: ${entry} is a directory without kustomization.yaml`, doc.lineOf(['resources', i]));
    }
  });
  for (const generator of ['configMapGenerator', 'secretGenerator']) {
    (value[generator] || []).forEach((gen, i) => {
      (gen.files || []).forEach((entry, j) => {
        const source = String(entry).split('=').pop();
        // kustomize only loads files inside the kustomization's own directory.
        if (source.startsWith('..') || path.isAbsolute(source)) {
          report.add(file, `${generator}[${i}].files[${j}]: ${source} is outside ${dir}/ (kustomize refuses it)`, doc.lineOf([generator, i, 'files', j]));
        } else if (!exists(source)) {
          report.add(file, `${generator}[${i}].files[${j}]: ${source} does not exist`, doc.lineOf([generator, i, 'files', j]));
        }
      });
    });
  }
}

/** Every namespaced object names the one Namespace the manifests declare. */
function checkNamespaces(report, objects) {
  const namespaces = objects.filter((o) => o.value.kind === 'Namespace').map((o) => o.value.metadata.name);
  if (namespaces.length !== 1) return;
  for (const { file, doc, value } of objects) {
    if (CLUSTER_SCOPED.has(value.kind)) continue;
    if (value.metadata.namespace !== namespaces[0]) {
      report.add(file, `${value.kind} ${value.metadata.name}: metadata.namespace must be "${namespaces[0]}"`, doc.lineOf(['metadata']));
    }
  }
}

/** A manifest no kustomization.yaml lists is silently never applied; templates are the exception. */
function checkReferencedByKustomization(report, files, kustomizations) {
  const listed = new Set();
  for (const [dir, { value }] of kustomizations) {
    for (const entry of value.resources || []) listed.add(path.posix.normalize(path.posix.join(dir, String(entry))));
  }
  for (const file of files) {
    if (path.posix.basename(file) === 'kustomization.yaml' || SECRET_TEMPLATE.test(file)) continue;
    if (!listed.has(file)) {
      report.add(file, `not listed in the resources of ${path.posix.dirname(file)}/kustomization.yaml, so it is never applied`);
    }
  }
}

function checkObject(report, { file, doc, value }) {
  const where = `${value.kind} ${value.metadata && value.metadata.name}`;
  const add = (keys, message) => report.add(file, `${where}: ${message}`, doc.lineOf(keys));

  if (value.kind === 'Secret') {
    if (!SECRET_TEMPLATE.test(file)) add([], 'Secrets may only appear in *.example.yaml templates; real ones never live in git');
    if (value.data) add(['data'], 'use stringData in templates: base64 `data` hides what is in it');
  }

  const pod = podTemplate(value);
  if (!pod) return;
  const podKeys = ['spec', 'template'];
  const spec = pod.spec || {};
  const podSecurity = spec.securityContext || {};

  (spec.containers || []).forEach((c, i) => {
    const keys = [...podKeys, 'spec', 'containers', i];
    const sc = c.securityContext || {};
    const name = `container ${c.name}`;
    if (!pinned(c.image)) {
      add([...keys, 'image'], `${name}: image must carry a fixed tag or digest (not :latest), got "${c.image}"`);
    }
    if (!(c.resources && c.resources.requests && c.resources.requests.cpu && c.resources.requests.memory)) {
      add([...keys, 'resources'], `${name}: needs resources.requests.cpu and resources.requests.memory (scheduling, HPA)`);
    }
    if (!(c.resources && c.resources.limits && c.resources.limits.memory)) {
      add([...keys, 'resources'], `${name}: needs resources.limits.memory`);
    }
    if (sc.runAsNonRoot !== true && podSecurity.runAsNonRoot !== true) {
      add([...keys, 'securityContext'], `${name}: needs runAsNonRoot: true (pod or container securityContext)`);
    }
    if (sc.allowPrivilegeEscalation !== false) add([...keys, 'securityContext'], `${name}: needs securityContext.allowPrivilegeEscalation: false`);
    if (sc.readOnlyRootFilesystem !== true) add([...keys, 'securityContext'], `${name}: needs securityContext.readOnlyRootFilesystem: true`);
    if (!(sc.capabilities && (sc.capabilities.drop || []).includes('ALL'))) {
      add([...keys, 'securityContext'], `${name}: needs securityContext.capabilities.drop: [ALL]`);
    }
  });

  // Long-running services: probes on the platform's health endpoints and Prometheus scraping.
  if (value.kind !== 'Deployment' && value.kind !== 'StatefulSet') return;
  const labels = (pod.metadata && pod.metadata.labels) || {};
  const selector = (value.spec.selector && value.spec.selector.matchLabels) || {};
  if (Object.keys(selector).length === 0 || Object.entries(selector).some(([k, v]) => labels[k] !== v)) {
    add(['spec', 'selector'], 'spec.selector.matchLabels must be non-empty and match the pod template labels');
  }
  const annotations = (pod.metadata && pod.metadata.annotations) || {};
  const ports = (spec.containers || []).flatMap((c) => (c.ports || []).map((p) => p.containerPort));
  if (annotations['prometheus.io/scrape'] !== 'true' || annotations['prometheus.io/path'] !== '/metrics' || !ports.includes(Number(annotations['prometheus.io/port']))) {
    add([...podKeys, 'metadata'], 'pod template needs annotations prometheus.io/scrape: "true", prometheus.io/path: /metrics and prometheus.io/port: <container port>');
  }
  (spec.containers || []).forEach((c, i) => {
    const keys = [...podKeys, 'spec', 'containers', i];
    for (const [probe, endpoint] of [['livenessProbe', '/health/live'], ['readinessProbe', '/health/ready']]) {
      const get = c[probe] && c[probe].httpGet;
      if (!get || get.path !== endpoint) add([...keys, probe], `container ${c.name}: ${probe} must be an httpGet on ${endpoint}`);
    }
  });
}

/** A tag (not latest) or a digest after the last `/`; a registry host may carry a port before it. */
function pinned(image) {
  const last = String(image).split('/').pop();
  return last.includes('@sha256:') || (last.includes(':') && !last.endsWith(':latest'));
}

function podTemplate(value) {
  switch (value.kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'Job':
      return value.spec && value.spec.template;
    default:
      return undefined;
  }
}

/** Name -> value of a container's plain `env` entries; `valueFrom` entries map to their source object. */
function containerEnv(container) {
  const env = new Map();
  for (const e of container.env || []) env.set(e.name, e.valueFrom ? e.valueFrom : e.value);
  return env;
}

module.exports = { validateKubernetes, tighten, containerEnv };
