// The naming rules every event contract follows (ARCHITECTURE.md, section 4).
// They are checked at generation time so a wrong topic never reaches a broker.

const TOPIC = /^(?<service>[a-z]+)\.(?<aggregate>[a-z_]+)\.v(?<major>[0-9]+)$/;
const CE_TYPE = /^crm\.(?<service>[a-z]+)\.(?<aggregate>[a-z_]+)\.(?<event>[a-z_]+)\.v(?<major>[0-9]+)$/;
const PACKAGE = /^crm\.(?<service>[a-z]+)\.v(?<major>[0-9]+)$/;

const TENANT_FIELD = 'tenant_id';

/**
 * Returns every way the declared topic and type break the conventions for a
 * message in the given proto package; an empty list means the event is valid.
 */
function conventionViolations({ protoPackage, topic, type }) {
  const topicParts = TOPIC.exec(topic)?.groups;
  const typeParts = CE_TYPE.exec(type)?.groups;
  const packageParts = PACKAGE.exec(protoPackage)?.groups;
  const violations = [];
  if (!topicParts) violations.push(`topic "${topic}" must look like <service>.<aggregate>.v<major>`);
  if (!typeParts) violations.push(`type "${type}" must look like crm.<service>.<aggregate>.<event>.v<major>`);
  if (!packageParts) violations.push(`package "${protoPackage}" must look like crm.<service>.v<major>`);
  if (violations.length > 0) return violations;

  const expectedTypePrefix = `crm.${topicParts.service}.${topicParts.aggregate}.`;
  if (!type.startsWith(expectedTypePrefix) || typeParts.major !== topicParts.major) {
    violations.push(`type "${type}" must be ${expectedTypePrefix}<event>.v${topicParts.major} to match topic "${topic}"`);
  }
  // A new major is a new topic, and its messages live in the package of that major.
  if (packageParts.service !== topicParts.service || packageParts.major !== topicParts.major) {
    violations.push(`topic "${topic}" must belong to package crm.${topicParts.service}.v${topicParts.major}, not ${protoPackage}`);
  }
  return violations;
}

module.exports = { TENANT_FIELD, conventionViolations };
