'use strict';
// The three descriptions of the services must agree: the directories services/<name>, the Compose
// services, and the Kubernetes manifests under deploy/k8s/services/<name>. Each check names the file
// to edit; the how-to is at the top of docker-compose.yml and in deploy/k8s/README.md.

const fs = require('node:fs');
const path = require('node:path');
const { environmentOf, dependsOnOf } = require('./compose');
const { containerEnv } = require('./kubernetes');
const { listFiles } = require('./report');

const GATEWAY = 'gateway';
const DB_INIT_SCRIPT = 'create-service-databases.sh';
const TOPICS_TARGET = 'kafka-topics';

/** Names of services/<name> directories that hold a package.json. */
function serviceDirectories(root) {
  const dir = path.join(root, 'services');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, 'package.json')))
    .map((e) => e.name)
    .sort();
}

const envName = (service) => `${service.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_URL`;
const listOf = (value) => String(value || '').split(/[\s,]+/).filter(Boolean).sort();
const sameList = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
const matches = (selector, labels) =>
  Object.keys(selector || {}).length > 0 && Object.entries(selector).every(([k, v]) => (labels || {})[k] === v);

/**
 * Returns { name: { port, database } } for the services Compose builds, after checking them.
 * `compose` is what validateCompose returned.
 */
function checkCompose(report, compose, names) {
  const { file, doc, services } = compose;
  const add = (keys, message) => report.add(file, message, doc.lineOf(keys));
  const apps = {};
  const dbInit = Object.entries(services).find(([, s]) => JSON.stringify([s.entrypoint, s.command]).includes(DB_INIT_SCRIPT));
  const topics = Object.entries(services).find(([, s]) => s.build && s.build.target === TOPICS_TARGET);

  for (const [key, service] of Object.entries(services)) {
    const args = (service.build && service.build.args) || {};
    if (!args.SERVICE) continue;
    const at = ['services', key];
    const name = String(args.SERVICE);
    if (key !== name) add([...at, 'build'], `service "${key}" builds SERVICE=${name}: name the Compose service after the services/ directory`);
    if (!names.includes(name)) {
      add([...at, 'build'], `service "${key}" builds SERVICE=${name}, but services/${name} (with a package.json) does not exist`);
      continue;
    }
    const env = environmentOf(service);
    const port = env.get('PORT');
    apps[name] = { key, port, database: env.has('DATABASE_URL') };

    if (String(args.PORT) !== port) add([...at, 'environment'], `${key}: environment PORT (${port}) and build arg PORT (${args.PORT}) differ`);
    if (!String(service.image || '').startsWith(`crm/${name}:`)) add([...at, 'image'], `${key}: image must be crm/${name}:<tag>`);
    if (!service.healthcheck || service.healthcheck.disable) add(at, `${key}: needs a healthcheck (deploy/docker/healthcheck.js)`);
    if (env.get('NODE_ENV') !== 'production') add([...at, 'environment'], `${key}: NODE_ENV must be production`);
    if (!env.get('KAFKA_BROKERS')) add([...at, 'environment'], `${key}: needs KAFKA_BROKERS`);
    if (service.ports && service.ports.length && name !== GATEWAY) {
      add([...at, 'ports'], `${key}: only the gateway publishes ports; the other services are reached through it`);
    }
    const deps = dependsOnOf(service);
    if (topics && env.get('KAFKA_BROKERS') && deps.get(topics[0]) !== 'service_completed_successfully') {
      add([...at, 'depends_on'], `${key}: must depend on ${topics[0]} (condition: service_completed_successfully): topics are not auto-created`);
    }
    if (env.has('DATABASE_URL')) {
      const url = new RegExp(`^postgres(ql)?://crm_${name}:[^@]+@postgres:5432/crm_${name}(\\?.*)?$`);
      if (!url.test(env.get('DATABASE_URL') || '')) {
        add([...at, 'environment', 'DATABASE_URL'], `${key}: DATABASE_URL must be postgres://crm_${name}:<password>@postgres:5432/crm_${name} (one database and role per service)`);
      }
      if (!dbInit) add([...at, 'environment'], `${key}: has a DATABASE_URL but no Compose service runs deploy/db/${DB_INIT_SCRIPT}`);
      else if (deps.get(dbInit[0]) !== 'service_completed_successfully') {
        add([...at, 'depends_on'], `${key}: must depend on ${dbInit[0]} (condition: service_completed_successfully) so its database exists`);
      }
    }
  }

  for (const name of names) {
    if (!apps[name]) {
      report.add(file, `services/${name} has no Compose service "${name}" (build.args.SERVICE: ${name}); see "Adding a service" at the top of ${file}`, doc.lineOf(['services']));
    }
  }
  const ports = Object.entries(apps).map(([n, a]) => [n, a.port]);
  for (const [n, port] of ports) {
    const other = ports.find(([m, p]) => m < n && p === port);
    if (other) add(['services', apps[n].key], `${n} and ${other[0]} both use PORT ${port}`);
  }
  if (dbInit) {
    const declared = listOf(environmentOf(dbInit[1]).get('CRM_DB_SERVICES'));
    const expected = Object.keys(apps).filter((n) => apps[n].database).sort();
    if (!sameList(declared, expected)) {
      add(['services', dbInit[0], 'environment'], `${dbInit[0]}: CRM_DB_SERVICES must list exactly the services with a DATABASE_URL: "${expected.join(',')}" (is "${declared.join(',')}")`);
    }
  }
  checkGatewayRoutes(apps, services[GATEWAY] && environmentOf(services[GATEWAY]), (message) => add(['services', GATEWAY, 'environment'], message));
  if (services[GATEWAY]) {
    const deps = dependsOnOf(services[GATEWAY]);
    for (const name of Object.keys(apps)) {
      if (name !== GATEWAY && deps.get(apps[name].key) !== 'service_healthy') {
        add(['services', GATEWAY, 'depends_on'], `gateway: must depend on ${name} (condition: service_healthy)`);
      }
    }
  }
  return apps;
}

/** The gateway has exactly one <SERVICE>_URL per other service, pointing at its name and port. */
function checkGatewayRoutes(apps, env, add) {
  if (!env) return;
  for (const [name, app] of Object.entries(apps)) {
    if (name === GATEWAY) continue;
    const want = `http://${name}:${app.port}`;
    if (env.get(envName(name)) !== want) add(`gateway: needs ${envName(name)}=${want}`);
  }
  for (const key of env.keys()) {
    if (!key.endsWith('_URL') || key === 'DATABASE_URL') continue;
    if (!Object.keys(apps).some((name) => name !== GATEWAY && envName(name) === key)) {
      add(`gateway: ${key} does not match any service in services/`);
    }
  }
}

/** deploy/k8s/services/<name> holds Deployment, Service, PodDisruptionBudget and HPA of services/<name>. */
function checkKubernetes(report, k8s, names, apps, dirs) {
  const { kustomizations } = k8s;
  const all = k8s.objects;
  const objects = all.filter((o) => o.valid);
  const base = `${dirs.k8s}/services`;
  const root = kustomizations.get(dirs.k8s);
  const listed = new Set(((root && root.value.resources) || []).map((r) => path.posix.normalize(String(r))));
  const present = fs.existsSync(path.join(report.root, base))
    ? fs.readdirSync(path.join(report.root, base), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name)
    : [];

  for (const dir of present) {
    if (!names.includes(dir)) report.add(`${base}/${dir}`, `services/${dir} (with a package.json) does not exist: remove this directory or add the service`);
  }
  const deployments = {};
  for (const name of names) {
    const dir = `${base}/${name}`;
    if (root && !listed.has(`services/${name}`)) {
      report.add(root.file, `resources must include services/${name}`, root.doc.lineOf(['resources']));
    }
    if (!present.includes(name)) {
      report.add(dir, `missing: services/${name} needs its Deployment, Service, PodDisruptionBudget and HorizontalPodAutoscaler here; see ${dirs.k8s}/README.md`);
      continue;
    }
    const here = all.filter((o) => o.file.startsWith(`${dir}/`));
    const one = (kind) => {
      const found = here.filter((o) => o.value.kind === kind);
      if (found.length !== 1) report.add(dir, `needs exactly one ${kind} for services/${name} (found ${found.length}); see ${dirs.k8s}/README.md`);
      else if (found[0].value.metadata && found[0].value.metadata.name !== name) {
        report.add(found[0].file, `${kind} must be named ${name}`, found[0].doc.lineOf(['metadata', 'name']));
      }
      // One that failed its schema was reported already; comparing it further would only add noise.
      return found.length === 1 && found[0].valid ? found[0] : undefined;
    };
    const deployment = one('Deployment');
    const service = one('Service');
    const pdb = one('PodDisruptionBudget');
    const hpa = one('HorizontalPodAutoscaler');
    if (!deployment) continue;
    deployments[name] = checkDeployment(report, deployment, name, apps && apps[name], objects);
    const labels = deployment.value.spec.template.metadata && deployment.value.spec.template.metadata.labels;
    const port = deployments[name].port;
    if (service) {
      if (!matches(service.value.spec.selector, labels)) report.add(service.file, `Service ${name}: spec.selector must match the pod labels of Deployment ${name}`, service.doc.lineOf(['spec', 'selector']));
      const ports = service.value.spec.ports || [];
      if (!ports.some((p) => p.port === port && (p.targetPort === 'http' || p.targetPort === port))) {
        report.add(service.file, `Service ${name}: needs port ${port} -> the container's http port (same port as in docker-compose.yml)`, service.doc.lineOf(['spec', 'ports']));
      }
    }
    if (pdb && !matches(pdb.value.spec.selector && pdb.value.spec.selector.matchLabels, labels)) {
      report.add(pdb.file, `PodDisruptionBudget ${name}: spec.selector.matchLabels must match the pod labels of Deployment ${name}`, pdb.doc.lineOf(['spec', 'selector']));
    }
    if (hpa) {
      const ref = hpa.value.spec.scaleTargetRef;
      if (ref.kind !== 'Deployment' || ref.name !== name || ref.apiVersion !== 'apps/v1') {
        report.add(hpa.file, `HorizontalPodAutoscaler ${name}: scaleTargetRef must be apps/v1 Deployment ${name}`, hpa.doc.lineOf(['spec', 'scaleTargetRef']));
      }
      if ((hpa.value.spec.minReplicas || 1) < 2) {
        report.add(hpa.file, `HorizontalPodAutoscaler ${name}: minReplicas must be at least 2, or a single pod restart is an outage`, hpa.doc.lineOf(['spec', 'minReplicas']));
      }
    }
  }

  const gateway = deployments[GATEWAY];
  if (gateway) {
    const k8sApps = Object.fromEntries(Object.entries(deployments).map(([n, d]) => [n, { port: String(d.port) }]));
    checkGatewayRoutes(k8sApps, gateway.env, (message) => report.add(gateway.file, message, gateway.line));
  }
  // Without a valid Compose file there is nothing to compare the database wiring with.
  if (apps) checkDatabaseSecrets(report, objects, apps, names, dirs);
}

/** One container named after the service, its port, env and database wiring. */
function checkDeployment(report, { file, doc, value }, name, app, objects) {
  const containers = value.spec.template.spec.containers;
  const index = Math.max(0, containers.findIndex((c) => c.name === name));
  const container = containers[index];
  const keys = ['spec', 'template', 'spec', 'containers', index];
  const add = (sub, message) => report.add(file, `Deployment ${name}: ${message}`, doc.lineOf([...keys, ...sub]));
  if (container.name !== name) add(['name'], `the service's container must be named ${name}`);
  if (!String(container.image).startsWith(`crm/${name}:`) && !String(container.image).includes(`/crm/${name}:`)) {
    add(['image'], `image must be crm/${name}:<tag> (built with SERVICE=${name})`);
  }
  const http = (container.ports || []).find((p) => p.name === 'http');
  if (!http) add(['ports'], 'needs a container port named http');
  const port = http && http.containerPort;
  const env = containerEnv(container);
  if (String(env.get('PORT')) !== String(port)) add(['env'], `env PORT (${env.get('PORT')}) must equal the http containerPort (${port})`);
  if (app && String(port) !== String(app.port)) add(['ports'], `port ${port} differs from PORT ${app.port} in docker-compose.yml`);

  const configMaps = (container.envFrom || []).map((e) => e.configMapRef && e.configMapRef.name).filter(Boolean);
  for (const cm of configMaps) {
    if (!objects.some((o) => o.value.kind === 'ConfigMap' && o.value.metadata.name === cm)) add(['envFrom'], `envFrom refers to ConfigMap ${cm}, which no manifest defines`);
  }
  if (configMaps.length === 0) add(['envFrom'], 'needs envFrom the shared ConfigMap (NODE_ENV, HOST, LOG_LEVEL, KAFKA_BROKERS)');

  const db = env.get('DATABASE_URL');
  if (db !== undefined) {
    const ref = db && db.secretKeyRef;
    if (!ref || ref.name !== `${name}-database` || ref.key !== 'DATABASE_URL') {
      add(['env'], `DATABASE_URL must come from secretKeyRef { name: ${name}-database, key: DATABASE_URL }, never a plain value`);
    }
  }
  if (app && app.database !== (db !== undefined)) {
    add(['env'], app.database ? 'docker-compose.yml gives this service a DATABASE_URL; so must the Deployment' : 'has DATABASE_URL, but docker-compose.yml gives this service none');
  }
  return { file, port, env, line: doc.lineOf([...keys, 'env']) };
}

/**
 * Services with a database: a `<name>-database` Secret in a template, and their name in the db-init
 * Job's CRM_DB_SERVICES, exactly as Compose's postgres-init has it.
 */
function checkDatabaseSecrets(report, objects, apps, names, dirs) {
  const withDb = Object.keys(apps).filter((n) => apps[n].database).sort();
  const secrets = objects.filter((o) => o.value.kind === 'Secret' && /-database$/.test(o.value.metadata.name));
  for (const name of withDb) {
    if (!secrets.some((s) => s.value.metadata.name === `${name}-database` && s.value.stringData && 'DATABASE_URL' in s.value.stringData)) {
      report.add(`${dirs.k8s}/secrets.example.yaml`, `needs a Secret template ${name}-database with stringData.DATABASE_URL`);
    }
  }
  for (const s of secrets) {
    const name = s.value.metadata.name.replace(/-database$/, '');
    if (!names.includes(name) || !withDb.includes(name)) {
      report.add(s.file, `Secret ${s.value.metadata.name}: no service "${name}" with a database`, s.doc.lineOf(['metadata', 'name']));
    }
  }
  for (const job of objects.filter((o) => o.value.kind === 'Job')) {
    job.value.spec.template.spec.containers.forEach((c, i) => {
      if (!JSON.stringify(c.command || []).includes(DB_INIT_SCRIPT)) return;
      const declared = listOf(containerEnv(c).get('CRM_DB_SERVICES'));
      if (!sameList(declared, withDb)) {
        report.add(job.file, `Job ${job.value.metadata.name}: CRM_DB_SERVICES must list exactly the services with a database: "${withDb.join(',')}" (is "${declared.join(',')}")`, job.doc.lineOf(['spec', 'template', 'spec', 'containers', i, 'env']));
      }
    });
  }
}

/** The db-init script must exist where Compose and the ConfigMap generator take it from. */
function checkDatabaseScripts(report, dbDir) {
  const scripts = listFiles(report.root, dbDir, /\.(sh|sql)$/);
  scripts.forEach((f) => report.checked(f));
  if (!scripts.includes(`${dbDir}/${DB_INIT_SCRIPT}`)) report.add(`${dbDir}/${DB_INIT_SCRIPT}`, 'missing: it creates the database and role of every service');
}

module.exports = { serviceDirectories, checkCompose, checkKubernetes, checkDatabaseScripts };
