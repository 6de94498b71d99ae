'use strict';
// deploy/docker/Dockerfile without a Docker engine: a small parser (line continuations, comments,
// heredocs) and the rules every image of this project follows. It is not hadolint; it checks what
// the services rely on: named stages, SERVICE selecting the service, a non-root user, a health check
// on /health/live, NODE_ENV=production, installs from the lockfile, and that the files COPY needs
// are really in the build context (present, and not excluded by .dockerignore).

const fs = require('node:fs');
const path = require('node:path');

/** Instructions as { line, instruction, args }; `line` is where the instruction starts (1-based). */
function parseDockerfile(text) {
  const lines = text.split(/\r?\n/);
  const out = [];
  let escape = '\\';
  let buffer = null;
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (buffer === null) {
      const directive = out.length === 0 && raw.match(/^#\s*escape\s*=\s*(\S)\s*$/i);
      if (directive) escape = directive[1];
      if (/^\s*(#|$)/.test(raw)) continue;
      buffer = '';
      start = i + 1;
    } else if (/^\s*(#|$)/.test(raw)) {
      continue; // comments and blank lines inside a continued instruction are dropped by Docker
    }
    const trimmed = raw.replace(/\s+$/, '');
    if (trimmed.endsWith(escape)) {
      buffer += `${trimmed.slice(0, -1)} `;
      continue;
    }
    buffer += trimmed;
    const [, instruction, args] = buffer.trim().match(/^(\S+)\s*([\s\S]*)$/);
    out.push({ line: start, instruction: instruction.toUpperCase(), args: args.trim() });
    buffer = null;
    // A heredoc (RUN <<EOF ... EOF) carries its body on the following lines: skip to its end.
    const heredoc = args.match(/<<-?\s*["']?([A-Za-z_][\w]*)["']?/);
    if (heredoc && ['RUN', 'COPY', 'ADD'].includes(instruction.toUpperCase())) {
      while (i + 1 < lines.length && lines[i + 1].trim() !== heredoc[1]) i++;
      i++;
    }
  }
  if (buffer !== null && buffer.trim()) {
    const [, instruction, args] = buffer.trim().match(/^(\S+)\s*([\s\S]*)$/);
    out.push({ line: start, instruction: instruction.toUpperCase(), args: args.trim() });
  }
  return out;
}

/** Splits instructions into stages: { name, image, line, instructions }. */
function stagesOf(instructions) {
  const stages = [];
  for (const ins of instructions) {
    if (ins.instruction === 'FROM') {
      const words = ins.args.split(/\s+/).filter((w) => !w.startsWith('--'));
      const as = words.findIndex((w) => w.toLowerCase() === 'as');
      stages.push({ image: words[0], name: as > 0 ? words[as + 1] : undefined, line: ins.line, instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push(ins);
    }
  }
  return stages;
}

/**
 * `.dockerignore` as Docker applies it: patterns in order, `!` re-includes, the last match wins,
 * and a path is matched through its parent directories too.
 */
function dockerignore(text) {
  const toRegex = (pattern) => {
    let re = '';
    for (let i = 0; i < pattern.length; i++) {
      const ch = pattern[i];
      if (ch === '*' && pattern[i + 1] === '*') {
        re += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*';
        i += pattern[i + 2] === '/' ? 2 : 1;
      } else if (ch === '*') re += '[^/]*';
      else if (ch === '?') re += '[^/]';
      else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
    return new RegExp(`^${re}$`);
  };
  const rules = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = path.posix.normalize((negate ? l.slice(1) : l).trim().replace(/^\/+/, '')).replace(/\/+$/, '');
      return { negate, re: toRegex(pattern) };
    });
  return (file) => {
    const parts = file.split('/');
    let excluded = false;
    for (const rule of rules) {
      for (let n = 1; n <= parts.length; n++) {
        if (rule.re.test(parts.slice(0, n).join('/'))) {
          excluded = !rule.negate;
          break;
        }
      }
    }
    return excluded;
  };
}

const usesVar = (text, name) => new RegExp(`\\$\\{?${name}\\b`).test(text);
const isJsonArray = (args) => {
  try {
    return Array.isArray(JSON.parse(args));
  } catch {
    return false;
  }
};

/**
 * Lints one Dockerfile; returns the stage names (for checking Compose build targets).
 * `ignoreFile` is the .dockerignore of the build context (the repository root).
 */
function lintDockerfile(report, file, ignoreFile) {
  const abs = path.join(report.root, file);
  if (!fs.existsSync(abs)) {
    report.add(file, 'missing: every service image is built from it');
    return [];
  }
  report.checked(file);
  const add = (line, message) => report.add(file, message, line);
  const instructions = parseDockerfile(fs.readFileSync(abs, 'utf8'));
  const stages = stagesOf(instructions);
  if (stages.length === 0) {
    add(1, 'no FROM instruction');
    return [];
  }
  const ignorePath = path.join(report.root, ignoreFile);
  const ignored = fs.existsSync(ignorePath) ? dockerignore(fs.readFileSync(ignorePath, 'utf8')) : () => false;
  if (!fs.existsSync(ignorePath)) add(undefined, `no ${ignoreFile}: the whole checkout (node_modules, .env files, .git) becomes build context`);
  else report.checked(ignoreFile);

  const names = [];
  for (const stage of stages) {
    if (!stage.name) add(stage.line, `FROM ${stage.image}: name the stage (FROM ... AS <name>) so targets and COPY --from stay readable`);
    else if (names.includes(stage.name)) add(stage.line, `stage name "${stage.name}" is used twice`);
    if (!names.includes(stage.image)) {
      const last = stage.image.split('/').pop();
      if (!last.includes(':') && !last.includes('@')) add(stage.line, `FROM ${stage.image}: pin a tag (the default :latest changes under you)`);
      else if (/:latest$/.test(stage.image)) add(stage.line, `FROM ${stage.image}: pin a version, not :latest`);
    }
    for (const ins of stage.instructions) {
      if (ins.instruction === 'RUN' && /\bnpm (install|i)\b/.test(ins.args)) {
        add(ins.line, 'use `npm ci` (installs exactly the lockfile) instead of `npm install`');
      }
      if (ins.instruction === 'COPY' || ins.instruction === 'ADD') {
        const from = ins.args.match(/--from=(\S+)/);
        if (from && !names.includes(from[1]) && !/[:/]/.test(from[1])) add(ins.line, `COPY --from=${from[1]}: no earlier stage of that name`);
        if (!from) checkContextSources(ins, add, report.root, ignored, ignoreFile);
      }
    }
    // Every stage that can be run as a container (it has a command) must not run as root.
    const runnable = stage.instructions.some((i) => i.instruction === 'CMD' || i.instruction === 'ENTRYPOINT');
    if (runnable && stage !== stages[stages.length - 1]) checkUser(stage, add);
    if (stage.name) names.push(stage.name);
  }
  const all = instructions.map((i) => `${i.instruction} ${i.args}`).join('\n');
  if (!/\bnpm ci\b/.test(all)) add(undefined, 'no `npm ci`: dependencies must come from package-lock.json');
  if (!/\bnpm run build\b/.test(all)) add(undefined, 'no `npm run build`: the image must compile the workspace itself');

  checkServiceStage(report, stages[stages.length - 1], add);
  return names;
}

function checkContextSources(ins, add, root, ignored, ignoreFile) {
  const words = ins.args.startsWith('[') && isJsonArray(ins.args) ? JSON.parse(ins.args) : ins.args.split(/\s+/);
  const sources = words.filter((w) => !w.startsWith('--')).slice(0, -1);
  for (const source of sources) {
    if (/[*?[$]/.test(source) || source.startsWith('<<')) continue; // globs, variables, heredocs
    const rel = path.posix.normalize(source).replace(/\/+$/, '');
    if (rel === '.') continue;
    if (!fs.existsSync(path.join(root, rel))) add(ins.line, `${ins.instruction} ${source}: not found in the build context (repository root)`);
    else if (ignored(rel)) add(ins.line, `${ins.instruction} ${source}: excluded by ${ignoreFile}, so the build would not see it`);
  }
}

function checkUser(stage, add) {
  const users = stage.instructions.filter((i) => i.instruction === 'USER');
  const user = users.length ? users[users.length - 1].args.split(':')[0] : undefined;
  if (!user || user === 'root' || user === '0') {
    add(stage.line, `stage ${stage.name || stage.image}: set a non-root USER (the process must not run as root)`);
  }
}

/** The default target: the image of one service, chosen by ARG SERVICE. */
function checkServiceStage(report, stage, add) {
  const ins = stage.instructions;
  const of = (name) => ins.filter((i) => i.instruction === name);
  const where = `final stage ${stage.name || stage.image}`;

  const argIndex = ins.findIndex((i) => i.instruction === 'ARG' && /^SERVICE(=|$)/.test(i.args));
  if (argIndex < 0) add(stage.line, `${where}: needs ARG SERVICE (which services/<name> the image runs)`);
  else if (!ins.slice(argIndex + 1).some((i) => usesVar(i.args, 'SERVICE'))) {
    add(ins[argIndex].line, `${where}: ARG SERVICE is declared but never used`);
  }
  checkUser(stage, add);
  if (of('EXPOSE').length === 0) add(stage.line, `${where}: needs EXPOSE <port>`);
  if (!of('ENV').some((i) => /\bNODE_ENV[= ]["']?production\b/.test(i.args))) add(stage.line, `${where}: needs ENV NODE_ENV=production`);

  const healthchecks = of('HEALTHCHECK');
  const healthcheck = healthchecks[healthchecks.length - 1];
  if (!healthcheck || /^NONE$/i.test(healthcheck.args)) {
    add(stage.line, `${where}: needs a HEALTHCHECK on /health/live`);
  } else {
    // Either the probe is inline, or it runs a script of the repository that probes /health/live.
    const script = healthcheck.args.match(/[\w./-]+\.js/);
    const text = script && fs.existsSync(path.join(report.root, script[0])) ? fs.readFileSync(path.join(report.root, script[0]), 'utf8') : healthcheck.args;
    if (!text.includes('/health/live')) add(healthcheck.line, `${where}: HEALTHCHECK must probe /health/live`);
  }

  const commands = ins.filter((i) => i.instruction === 'CMD' || i.instruction === 'ENTRYPOINT');
  if (commands.length === 0) add(stage.line, `${where}: needs CMD or ENTRYPOINT`);
  for (const cmd of commands) {
    // Shell form wraps node in `/bin/sh -c`, which does not forward SIGTERM: no graceful shutdown.
    if (!isJsonArray(cmd.args)) add(cmd.line, `${cmd.instruction} must use the exec form ["..."] so signals reach the process`);
  }
  if (!commands.some((c) => usesVar(c.args, 'SERVICE') && c.args.includes('dist/main.js'))) {
    add(stage.line, `${where}: CMD must start services/\${SERVICE}/dist/main.js`);
  }
}

module.exports = { lintDockerfile, parseDockerfile, stagesOf, dockerignore };
