import { create, equals, fromJson, toJson } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { ALL_EVENT_CONTRACTS, ALL_TOPICS, ProbeRecordedEvent, ProbeRecordedSchema } from './index';

const TOPIC = /^[a-z]+\.[a-z_]+\.v[0-9]+$/;
const CE_TYPE = /^crm\.[a-z]+\.[a-z_]+\.[a-z_]+\.v[0-9]+$/;

describe('ProbeRecorded in proto3 canonical JSON', () => {
  const sentAt = new Date('2025-03-14T09:26:53.589Z');
  const probe = create(ProbeRecordedSchema, {
    tenantId: 'tenant-1',
    probeId: 'probe-1',
    // Above 2^53, so a JSON number would lose precision.
    sequence: 9007199254740993n,
    note: '探针 probe',
    sentAt: timestampFromDate(sentAt),
  });

  it('uses camelCase names, int64 as a string and the timestamp as RFC 3339', () => {
    expect(toJson(ProbeRecordedSchema, probe)).toEqual({
      tenantId: 'tenant-1',
      probeId: 'probe-1',
      sequence: '9007199254740993',
      note: '探针 probe',
      sentAt: '2025-03-14T09:26:53.589Z',
    });
  });

  it('reads back the same message', () => {
    const json = JSON.parse(JSON.stringify(toJson(ProbeRecordedSchema, probe)));
    const decoded = fromJson(ProbeRecordedSchema, json);

    expect(equals(ProbeRecordedSchema, decoded, probe)).toBe(true);
    expect(decoded.sequence).toBe(9007199254740993n);
    expect(timestampDate(decoded.sentAt!)).toEqual(sentAt);
  });
});

describe('generated event contracts', () => {
  it('binds ProbeRecorded to its topic and CloudEvents type', () => {
    expect(ProbeRecordedEvent.schema).toBe(ProbeRecordedSchema);
    expect(ProbeRecordedEvent.topic).toBe('platform.probe.v1');
    expect(ProbeRecordedEvent.type).toBe('crm.platform.probe.recorded.v1');
  });

  it('registers every contract and lists each topic once', () => {
    expect(ALL_EVENT_CONTRACTS).toContain(ProbeRecordedEvent);
    expect([...ALL_TOPICS].sort()).toEqual([...new Set(ALL_EVENT_CONTRACTS.map((contract) => contract.topic))].sort());
  });

  it.each(ALL_TOPICS.map((topic) => [topic]))('topic %s is <service>.<aggregate>.v<major>', (topic) => {
    expect(topic).toMatch(TOPIC);
  });

  it.each(ALL_EVENT_CONTRACTS.map((contract) => [contract.type, contract]))(
    'type %s is crm.<service>.<aggregate>.<event>.v<major> of its topic',
    (type, contract) => {
      expect(type).toMatch(CE_TYPE);
      const [service, aggregate, major] = contract.topic.split('.');
      expect(type.startsWith(`crm.${service}.${aggregate}.`)).toBe(true);
      expect(type.endsWith(`.${major}`)).toBe(true);
    },
  );

  it('gives every event a tenant_id field', () => {
    for (const contract of ALL_EVENT_CONTRACTS) {
      expect(contract.schema.fields.map((field) => field.name)).toContain('tenant_id');
    }
  });

  it('uses each CloudEvents type once', () => {
    const types = ALL_EVENT_CONTRACTS.map((contract) => contract.type);
    expect(new Set(types).size).toBe(types.length);
  });
});
