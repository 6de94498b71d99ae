'use strict';
// Creates the topics declared in topics.yaml and one dead-letter topic per consumer group
// (<topic>.dlq.<group>). Safe to run again and again: existing topics are never modified, only
// reported when their partitions or configs differ from the declaration.
//
// usage: node create-topics.js [--dry-run] [topics.yaml]
// env:   KAFKA_BROKERS (default 127.0.0.1:9092)

const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');
const { Kafka, logLevel, ConfigResourceTypes } = require('kafkajs');

const DAY_MS = 24 * 60 * 60 * 1000;
const DLQ_DEFAULTS = { partitions: 1, retentionMs: 30 * DAY_MS };
// <service>.<aggregate>.v<major>, as in ARCHITECTURE.md; mixing '.' and '_' also confuses Kafka metrics.
const TOPIC_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+\.v[1-9][0-9]*$/;
const GROUP_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/;
const MAX_TOPIC_NAME = 249;
const CLEANUP_POLICIES = ['delete', 'compact', 'compact,delete'];
const TOPIC_KEYS = ['name', 'partitions', 'retentionMs', 'cleanupPolicy', 'consumers'];
const DLQ_KEYS = ['partitions', 'retentionMs'];

class SpecError extends Error {
  constructor(file, problems) {
    super(`${file} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

const shown = (v) => (v === undefined ? 'nothing' : JSON.stringify(v));
const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isPositiveInt = (v) => Number.isSafeInteger(v) && v > 0;
const isRetention = (v) => Number.isSafeInteger(v) && (v > 0 || v === -1);

function unknownKeys(obj, allowed, where, problems) {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) problems.push(`${where}: unknown key "${key}" (allowed: ${allowed.join(', ')})`);
  }
}

function checkDlq(raw, problems) {
  if (raw === undefined) return { ...DLQ_DEFAULTS };
  if (!isPlainObject(raw)) {
    problems.push('dlq: must be a mapping with partitions and/or retentionMs');
    return { ...DLQ_DEFAULTS };
  }
  unknownKeys(raw, DLQ_KEYS, 'dlq', problems);
  const dlq = { ...DLQ_DEFAULTS, ...raw };
  if (!isPositiveInt(dlq.partitions)) problems.push(`dlq.partitions: must be a positive integer, got ${shown(dlq.partitions)}`);
  if (!isRetention(dlq.retentionMs)) problems.push(`dlq.retentionMs: must be a positive integer or -1, got ${shown(dlq.retentionMs)}`);
  return dlq;
}

function checkTopic(raw, index, seen, problems) {
  const where = `topics[${index}]${isPlainObject(raw) && typeof raw.name === 'string' ? ` (${raw.name})` : ''}`;
  if (!isPlainObject(raw)) {
    problems.push(`${where}: must be a mapping with name, partitions and retentionMs`);
    return null;
  }
  const before = problems.length;
  unknownKeys(raw, TOPIC_KEYS, where, problems);
  const { name, partitions, retentionMs, cleanupPolicy = 'delete', consumers = [] } = raw;

  if (typeof name !== 'string' || !TOPIC_NAME.test(name)) {
    problems.push(`${where}: name must look like <service>.<aggregate>.v<major> in lower case, got ${shown(name)}`);
  } else if (name.includes('.dlq.')) {
    problems.push(`${where}: name must not contain ".dlq." (dead-letter topics are derived from consumers)`);
  } else if (seen.has(name)) {
    problems.push(`${where}: declared twice`);
  }
  if (!isPositiveInt(partitions)) problems.push(`${where}: partitions must be a positive integer, got ${shown(partitions)}`);
  if (!isRetention(retentionMs)) problems.push(`${where}: retentionMs must be a positive integer or -1, got ${shown(retentionMs)}`);
  if (!CLEANUP_POLICIES.includes(cleanupPolicy)) {
    problems.push(`${where}: cleanupPolicy must be one of ${CLEANUP_POLICIES.join(' | ')}, got ${shown(cleanupPolicy)}`);
  }
  if (!Array.isArray(consumers)) {
    problems.push(`${where}: consumers must be a list of consumer group names`);
  } else {
    consumers.forEach((group, i) => {
      if (typeof group !== 'string' || !GROUP_NAME.test(group)) {
        problems.push(`${where}: consumers[${i}] must be a lower-case group name like "reporting", got ${shown(group)}`);
      } else if (consumers.indexOf(group) !== i) {
        problems.push(`${where}: consumer group "${group}" listed twice`);
      } else if (typeof name === 'string' && `${name}.dlq.${group}`.length > MAX_TOPIC_NAME) {
        problems.push(`${where}: dead-letter topic ${name}.dlq.${group} exceeds ${MAX_TOPIC_NAME} characters`);
      }
    });
  }
  if (typeof name === 'string') seen.add(name);
  return problems.length === before ? { name, partitions, retentionMs, cleanupPolicy, consumers } : null;
}

/** Reads and validates topics.yaml; throws SpecError listing every problem found. */
function loadSpec(file) {
  let doc;
  try {
    doc = YAML.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new SpecError(file, [err.message]);
  }
  const problems = [];
  if (!isPlainObject(doc)) throw new SpecError(file, ['top level must be a mapping with a "topics" list']);
  unknownKeys(doc, ['topics', 'dlq'], 'top level', problems);
  if (!Array.isArray(doc.topics)) problems.push('topics: must be a list (use `topics: []` for none)');
  const dlq = checkDlq(doc.dlq, problems);
  const seen = new Set();
  const topics = (Array.isArray(doc.topics) ? doc.topics : []).map((t, i) => checkTopic(t, i, seen, problems));
  if (problems.length > 0) throw new SpecError(file, problems);
  return { topics, dlq };
}

/** Flattens the spec into the topics to create, dead-letter topics included. */
function plan({ topics, dlq }) {
  const out = [];
  for (const t of topics) {
    out.push({ name: t.name, partitions: t.partitions, retentionMs: t.retentionMs, cleanupPolicy: t.cleanupPolicy });
    // A poison message must outlive the data it came from, so a DLQ keeps at least as long as its source.
    const retentionMs = t.retentionMs === -1 || dlq.retentionMs === -1 ? -1 : Math.max(t.retentionMs, dlq.retentionMs);
    for (const group of t.consumers) {
      out.push({ name: `${t.name}.dlq.${group}`, partitions: dlq.partitions, retentionMs, cleanupPolicy: 'delete' });
    }
  }
  return out;
}

function describe(t) {
  const retention = t.retentionMs === -1 ? 'forever' : t.retentionMs % DAY_MS === 0 ? `${t.retentionMs / DAY_MS}d` : `${t.retentionMs}ms`;
  return `${t.partitions} partition${t.partitions === 1 ? '' : 's'}, retention ${retention}, ${t.cleanupPolicy}`;
}

async function drift(admin, existing) {
  if (existing.length === 0) return [];
  const warnings = [];
  const { topics } = await admin.fetchTopicMetadata({ topics: existing.map((t) => t.name) });
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: existing.map((t) => ({ type: ConfigResourceTypes.TOPIC, name: t.name, configNames: ['retention.ms', 'cleanup.policy'] })),
  });
  for (const t of existing) {
    const meta = topics.find((m) => m.name === t.name);
    if (meta && meta.partitions.length !== t.partitions) {
      warnings.push(`${t.name} has ${meta.partitions.length} partitions, declared ${t.partitions} (not changed automatically)`);
    }
    const configs = resources.find((r) => r.resourceName === t.name);
    const value = (n) => configs && configs.configEntries.find((e) => e.configName === n)?.configValue;
    if (value('retention.ms') !== undefined && value('retention.ms') !== String(t.retentionMs)) {
      warnings.push(`${t.name} has retention.ms=${value('retention.ms')}, declared ${t.retentionMs}`);
    }
    if (value('cleanup.policy') !== undefined && value('cleanup.policy') !== t.cleanupPolicy) {
      warnings.push(`${t.name} has cleanup.policy=${value('cleanup.policy')}, declared ${t.cleanupPolicy}`);
    }
  }
  return warnings;
}

async function apply(wanted, brokers) {
  const kafka = new Kafka({
    clientId: 'create-topics',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    retry: { retries: 3 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`cannot reach Kafka at ${brokers.join(',')}: ${err.message}\n  is the broker running? (npm run kafka:start)`);
  }
  try {
    const present = new Set(await admin.listTopics());
    const missing = wanted.filter((t) => !present.has(t.name));
    const existing = wanted.filter((t) => present.has(t.name));
    if (missing.length > 0) {
      try {
        await admin.createTopics({
          // replicationFactor is left to the broker's default.replication.factor, so the same file
          // works on the single-node dev broker and on a real cluster.
          topics: missing.map((t) => ({
            topic: t.name,
            numPartitions: t.partitions,
            configEntries: [
              { name: 'retention.ms', value: String(t.retentionMs) },
              { name: 'cleanup.policy', value: t.cleanupPolicy },
            ],
          })),
        });
      } catch (err) {
        // Another process may have created some of them meanwhile; that is fine.
        const errors = (err.errors || [err]).filter((e) => e.type !== 'TOPIC_ALREADY_EXISTS');
        if (errors.length > 0) throw new Error(`creating topics failed: ${errors.map((e) => e.message).join('; ')}`);
      }
    }
    for (const t of missing) console.log(`  created  ${t.name} (${describe(t)})`);
    for (const t of existing) console.log(`  exists   ${t.name}`);
    for (const w of await drift(admin, existing)) console.log(`  warning: ${w}`);
  } finally {
    await admin.disconnect();
  }
}

async function main(argv) {
  const dryRun = argv.includes('--dry-run');
  const files = argv.filter((a) => a !== '--dry-run');
  if (files.some((a) => a.startsWith('-')) || files.length > 1) {
    console.error('usage: create-topics.js [--dry-run] [topics.yaml]');
    return 2;
  }
  const file = files[0] || path.join(__dirname, 'topics.yaml');
  const wanted = plan(loadSpec(file));
  const brokers = (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',').map((b) => b.trim());
  if (dryRun) {
    console.log(`topics: ${wanted.length} declared in ${file} (dry run)`);
    for (const t of wanted) console.log(`  ${t.name} (${describe(t)})`);
    return 0;
  }
  console.log(`topics: ${wanted.length} declared in ${file}, broker ${brokers.join(',')}`);
  await apply(wanted, brokers);
  return 0;
}

module.exports = { loadSpec, plan, SpecError };

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(`topics: error: ${err.message}`);
      process.exit(1);
    },
  );
}
