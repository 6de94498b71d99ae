import { CustomerCreatedEvent } from '@crm/contracts';
import { OUTBOX_CHANNEL } from '@crm/platform/messaging';
import { CONSENT_CHANNELS } from '../customers/customer-fields';
import { TIMELINE_TYPES } from '../timeline/timeline-types';

/**
 * CustomerCreated for every customer a chunk creates as it is, built by PostgreSQL from the staged row in
 * the INSERT that puts it in the outbox (in the chunk's transaction, like every event). Encoding a
 * million snapshots with protobuf-es runs at about 20,000 a second, as long as the rest of an import;
 * this is the same proto3 JSON (the import tests decode both and compare them): field names in
 * lowerCamelCase, int64 as a string, and values equal to their defaults (empty texts, false) left out
 * as proto3 JSON does, which decodes to the same message.
 *
 * $1 job id, $2 tenant id, $3 first row (exclusive), $4 last row, $5 owner id, $6 created at.
 */
export const CREATED_EVENTS_SQL = `
  INSERT INTO messaging_outbox (event_id, topic, type, subject, tenant_id, data, created_at)
  SELECT gen_random_uuid(), '${CustomerCreatedEvent.topic}', '${CustomerCreatedEvent.type}', r.customer_id::text, $2::text,
         json_strip_nulls(json_build_object(
           'tenantId', $2::text,
           'customerId', r.customer_id,
           'version', '1',
           'customer', json_build_object(
             'type', COALESCE(r.type, 'person'),
             'name', r.name,
             'nameEn', r.name_en,
             'phones', r.phones,
             'emails', r.emails,
             'wechatIds', r.wechat_ids,
             'addresses', COALESCE(r.addresses, '[]'),
             'industry', r.industry,
             'region', r.region,
             'source', r.source,
             'ownerId', $5::text,
             'lifecycleStage', COALESCE(r.lifecycle_stage, 'prospect'),
             'valueTier', r.value_tier,
             'keyAccount', COALESCE(r.key_account, false),
             'tags', COALESCE(r.marked_tags, r.tags),
             'consent', '${JSON.stringify(Object.fromEntries(CONSENT_CHANNELS.map((channel) => [channel, { status: 'unknown' }])))}'::json,
             'customFields', COALESCE(r.custom_fields, '{}'),
             'externalId', r.external_id)))::text,
         $6
    FROM customer_import_rows r
   WHERE r.job_id = $1 AND r.row_no > $3 AND r.row_no <= $4 AND r.outcome IS NULL
   ORDER BY r.row_no`;

/** Wakes the outbox relay when the transaction commits, as every outbox append does. */
export const NOTIFY_OUTBOX_SQL = `SELECT pg_notify('${OUTBOX_CHANNEL}', '')`;

/**
 * The timeline entry CustomerEvents has the profile's CustomerChangeFollower add for every created
 * customer, for the same rows, in the same transaction (the import tests compare the two).
 *
 * $1 job id, $2 tenant id, $3 first row (exclusive), $4 last row, $5 owner id, $6 created at, $7 created by.
 */
export const CREATED_TIMELINE_SQL = `
  INSERT INTO customer_timeline (id, tenant_id, customer_id, event_customer_id, occurred_at, type, source, title, actor_id, payload)
  SELECT gen_random_uuid(), $2, r.customer_id, r.customer_id, $6, 'customer.created', '${TIMELINE_TYPES['customer.created']}', 'Customer created', $7,
         jsonb_build_object('source', r.source, 'ownerId', $5::uuid, 'lifecycleStage', COALESCE(r.lifecycle_stage, 'prospect'))
    FROM customer_import_rows r
   WHERE r.job_id = $1 AND r.row_no > $3 AND r.row_no <= $4 AND r.outcome IS NULL`;
