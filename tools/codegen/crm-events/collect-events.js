const { ScalarType, getOption, hasOption } = require('@bufbuild/protobuf');
const { TENANT_FIELD, conventionViolations } = require('./conventions');

const EVENT_OPTION = 'crm.platform.v1.event';

/**
 * Finds every message marked with the `(crm.platform.v1.event)` option in the
 * files being generated, checks it against the event conventions, and returns
 * the events ordered by CloudEvents type so the output never depends on file order.
 *
 * Each event: { message, file, topic, type, constName }.
 */
function collectEvents(schema) {
  const eventOption = findEventOption(schema.allFiles);
  if (!eventOption) return [];

  const events = [];
  const problems = [];
  for (const file of schema.files) {
    for (const message of file.messages) {
      if (!hasOption(message, eventOption)) continue;
      const { topic, type } = getOption(message, eventOption);
      const event = { message, file, topic, type, constName: `${message.name}Event` };
      problems.push(...eventProblems(event).map((problem) => `${message.typeName}: ${problem}`));
      events.push(event);
    }
    problems.push(...nestedEventProblems(file, eventOption));
  }
  problems.push(...duplicateProblems(events));
  if (problems.length > 0) {
    throw new Error(`event contracts break the conventions:\n  - ${problems.join('\n  - ')}`);
  }
  return events.sort((a, b) => compareStrings(a.type, b.type));
}

function findEventOption(files) {
  for (const file of files) {
    const extension = file.extensions.find((candidate) => candidate.typeName === EVENT_OPTION);
    if (extension) return extension;
  }
  return undefined;
}

function eventProblems({ message, file, topic, type }) {
  const problems = conventionViolations({ protoPackage: file.proto.package, topic, type });
  const tenantField = message.fields.find((field) => field.name === TENANT_FIELD);
  if (!tenantField || tenantField.fieldKind !== 'scalar' || tenantField.scalar !== ScalarType.STRING) {
    problems.push(`every event needs a \`string ${TENANT_FIELD}\` field`);
  }
  return problems;
}

// Generated constants are named after the message, so events must be top-level messages.
function nestedEventProblems(file, eventOption) {
  const nested = [];
  const visit = (message) => {
    for (const inner of message.nestedMessages) {
      if (hasOption(inner, eventOption)) nested.push(`${inner.typeName}: event messages must be top-level`);
      visit(inner);
    }
  };
  file.messages.forEach(visit);
  return nested;
}

function duplicateProblems(events) {
  return [
    ...duplicates(events.map((event) => event.type)).map((type) => `type "${type}" is declared by more than one message`),
    ...duplicates(events.map((event) => event.constName)).map(
      (name) => `${name} would be exported twice; event message names must be unique across packages`,
    ),
  ];
}

function duplicates(values) {
  return [...new Set(values.filter((value, index) => values.indexOf(value) !== index))];
}

// Plain code-unit order: unlike localeCompare it is identical on every machine.
function compareStrings(a, b) {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

module.exports = { collectEvents, compareStrings };
