const { ScalarType } = require('@bufbuild/protobuf');

// How each scalar appears in proto3 canonical JSON; 64-bit integers are strings so
// JavaScript and other JSON readers never lose precision.
const SCALAR_JSON = {
  [ScalarType.DOUBLE]: 'number',
  [ScalarType.FLOAT]: 'number',
  [ScalarType.INT64]: 'string',
  [ScalarType.UINT64]: 'string',
  [ScalarType.INT32]: 'number',
  [ScalarType.FIXED64]: 'string',
  [ScalarType.FIXED32]: 'number',
  [ScalarType.BOOL]: 'boolean',
  [ScalarType.STRING]: 'string',
  [ScalarType.BYTES]: 'string (base64)',
  [ScalarType.UINT32]: 'number',
  [ScalarType.SFIXED32]: 'number',
  [ScalarType.SFIXED64]: 'string',
  [ScalarType.SINT32]: 'number',
  [ScalarType.SINT64]: 'string',
};

const ENUM_JSON = 'string (value name)';

// Well-known types have their own JSON forms.
const MESSAGE_JSON = {
  'google.protobuf.Timestamp': 'string (RFC 3339)',
  'google.protobuf.Duration': 'string (e.g. "1.5s")',
  'google.protobuf.Struct': 'object',
  'google.protobuf.Value': 'any JSON value',
  'google.protobuf.FieldMask': 'string (comma-separated paths)',
  'google.protobuf.StringValue': 'string or null',
  'google.protobuf.BoolValue': 'boolean or null',
  'google.protobuf.Int32Value': 'number or null',
  'google.protobuf.Int64Value': 'string or null',
  'google.protobuf.DoubleValue': 'number or null',
};

/** The field's type as written in the .proto file, e.g. `int64`, `repeated string`, `map<string, int32>`. */
function protoType(field) {
  switch (field.fieldKind) {
    case 'scalar':
      return scalarName(field.scalar);
    case 'enum':
      return field.enum.typeName;
    case 'message':
      return field.message.typeName;
    case 'list':
      return `repeated ${field.listKind === 'scalar' ? scalarName(field.scalar) : referencedType(field).typeName}`;
    case 'map':
      return `map<${scalarName(field.mapKey)}, ${mapValueName(field)}>`;
  }
  throw new Error(`unsupported field kind ${field.fieldKind} on ${field.parent.typeName}.${field.name}`);
}

/** The field's shape in proto3 canonical JSON, which is what integrators read off the topic. */
function jsonType(field) {
  switch (field.fieldKind) {
    case 'scalar':
      return SCALAR_JSON[field.scalar];
    case 'enum':
      return ENUM_JSON;
    case 'message':
      return messageJson(field.message);
    case 'list':
      return `array of ${elementJson(field.listKind, field)}`;
    case 'map':
      return `object of ${elementJson(field.mapKind, field)}`;
  }
  throw new Error(`unsupported field kind ${field.fieldKind} on ${field.parent.typeName}.${field.name}`);
}

/** The message or enum a field refers to (its element or value type for lists and maps), if any. */
function referencedType(field) {
  return field.message ?? field.enum;
}

function elementJson(kind, field) {
  if (kind === 'scalar') return SCALAR_JSON[field.scalar];
  if (kind === 'enum') return ENUM_JSON;
  return messageJson(field.message);
}

function messageJson(message) {
  return MESSAGE_JSON[message.typeName] ?? 'object';
}

function mapValueName(field) {
  return field.mapKind === 'scalar' ? scalarName(field.scalar) : referencedType(field).typeName;
}

function scalarName(scalar) {
  return ScalarType[scalar].toLowerCase();
}

module.exports = { protoType, jsonType, referencedType };
