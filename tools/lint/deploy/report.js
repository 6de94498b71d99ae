'use strict';
// Shared plumbing of the deploy validator: the problem list, YAML loading that remembers where each
// value came from (so messages can name a line), and readable JSON-schema errors.

const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

/** Collects problems per file; `file` is always relative to the repository root. */
class Report {
  constructor(root) {
    this.root = root;
    this.files = new Set();
    this.problems = [];
  }

  /** Marks a file as checked (it counts in the summary even when it is valid). */
  checked(file) {
    this.files.add(file);
  }

  add(file, message, line) {
    this.files.add(file);
    this.problems.push({ file, line, message });
  }

  /** `file:line: message` lines, in file order, each problem once. */
  lines() {
    const seen = new Set();
    return this.problems
      .slice()
      .sort((a, b) => a.file.localeCompare(b.file) || (a.line || 0) - (b.line || 0))
      .map((p) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`)
      .filter((text) => !seen.has(text) && seen.add(text));
  }
}

/**
 * A parsed YAML document plus a way back from a value's path to its line.
 * `value` is plain JS (merge keys `<<` resolved, as Compose and kubectl do).
 */
class YamlDoc {
  constructor(file, doc, lineCounter) {
    this.file = file;
    this.doc = doc;
    this.lineCounter = lineCounter;
    this.value = doc.toJS({ maxAliasCount: 1000 });
  }

  /** Line of the value at `keys` (or of its nearest existing parent); 1-based. */
  lineOf(keys) {
    for (let n = keys.length; n >= 0; n--) {
      const node = n === 0 ? this.doc.contents : this.doc.getIn(keys.slice(0, n), true);
      if (node && node.range) return this.lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  }
}

/** Parses every document of a YAML file; syntax errors are reported and yield no document. */
function loadYaml(report, file) {
  const text = fs.readFileSync(path.join(report.root, file), 'utf8');
  report.checked(file);
  const lineCounter = new YAML.LineCounter();
  const docs = YAML.parseAllDocuments(text, { merge: true, lineCounter, prettyErrors: true });
  const out = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length > 0) {
      for (const err of doc.errors) report.add(file, `YAML: ${err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`, err.linePos && err.linePos[0].line);
      continue;
    }
    out.push(new YamlDoc(file, doc, lineCounter));
  }
  return out;
}

/** `spec.containers[0].image` from ['spec', 'containers', 0, 'image']. */
function formatPath(keys) {
  let out = '';
  for (const key of keys) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out || '(top level)';
}

/** ['spec', 'containers', 0] from an Ajv instancePath "/spec/containers/0". */
function pathKeys(instancePath, value) {
  const keys = [];
  let node = value;
  for (const raw of instancePath.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const index = Array.isArray(node) && /^\d+$/.test(key) ? Number(key) : key;
    keys.push(index);
    node = node == null ? undefined : node[index];
  }
  return keys;
}

/**
 * Turns Ajv errors into one message per problem. Schemas with `oneOf` (a value may be a string OR
 * an object...) make Ajv report every alternative; when one alternative got further (an error
 * deeper in the value), the shallower "wrong type" errors are noise and are dropped, and the
 * remaining type errors at one place are merged ("must be string or integer").
 */
function schemaProblems(errors, value) {
  const items = errors.map((err) => {
    const keys = pathKeys(err.instancePath, value);
    if (err.keyword === 'additionalProperties') keys.push(err.params.additionalProperty);
    return { err, keys, at: formatPath(keys) };
  });
  const deeper = (a, b) => b.keys.length > a.keys.length && a.keys.every((k, i) => b.keys[i] === k);
  const alternative = (err) => err.keyword === 'oneOf' || err.keyword === 'anyOf' || /\/(oneOf|anyOf)\/\d+\//.test(err.schemaPath);
  const kept = items.filter((a) => !(alternative(a.err) && items.some((b) => deeper(a, b))));

  const byPlace = new Map();
  for (const item of kept) {
    if (!byPlace.has(item.at)) byPlace.set(item.at, { keys: item.keys, errs: [] });
    byPlace.get(item.at).errs.push(item.err);
  }
  const out = [];
  for (const [at, { keys, errs }] of byPlace) {
    const types = [...new Set(errs.filter((e) => e.keyword === 'type').flatMap((e) => String(e.params.type).split(',')))];
    const messages = new Set();
    if (types.length > 0) messages.add(`must be ${types.join(' or ')}`);
    for (const err of errs) {
      if (err.keyword === 'type') continue;
      // "must match exactly one schema in oneOf" adds nothing when its alternatives were reported.
      if ((err.keyword === 'oneOf' || err.keyword === 'anyOf') && errs.length > 1) continue;
      messages.add(describe(err));
    }
    for (const message of messages) out.push({ keys, message: `${at}: ${message}` });
  }
  return out;
}

function describe(err) {
  switch (err.keyword) {
    case 'additionalProperties':
      return 'unknown field (not in the schema; check the spelling and the indentation)';
    case 'required':
      return `missing required field "${err.params.missingProperty}"`;
    case 'enum':
      return `must be one of ${err.params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(err.params.allowedValue)}`;
    case 'oneOf':
    case 'anyOf':
      return 'does not match any of the allowed forms';
    case 'format':
      return `must be a valid ${err.params.format}`;
    default:
      return err.message;
  }
}

/** Every file below `dir` (relative to root) whose name matches `pattern`, sorted. */
function listFiles(root, dir, pattern) {
  const out = [];
  const walk = (rel) => {
    const abs = path.join(root, rel);
    if (!fs.existsSync(abs)) return;
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      const child = path.posix.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (pattern.test(entry.name)) out.push(child);
    }
  };
  walk(dir);
  return out.sort();
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

module.exports = { Report, YamlDoc, loadYaml, schemaProblems, formatPath, listFiles, isObject };
