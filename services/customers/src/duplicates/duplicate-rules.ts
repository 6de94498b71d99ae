/**
 * The matching rules, as SQL over `customer_search` (exact contacts and name keys, GIN-indexed) joined to
 * `customers` (region, industry):
 *  - sure match (score 1): a phone number (E.164) or an e-mail address in common;
 *  - candidate (score = name similarity): `customer_name_similarity` of the name keys at least the
 *    threshold, and the same region or the same industry (where both have one). Names are looked up by
 *    trigram (`%`, pg_trgm.similarity_threshold, 0.3 by default: 张三丰 / 张三峰 share 2 of 6 trigrams),
 *    then scored by `customer_name_similarity` (character similarity for Chinese names, 0.67 there).
 * Reasons name what matched: `same_phone:+8613800138000`, `same_email:li@example.cn`,
 * `similar_name:0.82`, `same_region`, `same_industry`.
 *
 * One statement finds, scores and stores the pairs of a set of customers (`me`): every one of them is
 * looked up with three index probes (GIN: phones, e-mails, name trigrams; the name probe LIMITed), and the
 * pairs are upserted into `customer_duplicate_candidates` ordered (lower id first). A dismissed pair is
 * never updated nor returned, so it is not reported again.
 */

/** The default name similarity threshold of a candidate (0–1). */
export const DEFAULT_NAME_THRESHOLD = 0.6;

/** At most this many matches per customer and rule: the per-write check stays a small, bounded probe. */
export const MATCHES_PER_RULE = 20;

/** The columns the `me` source must produce, one row per customer checked. */
export const ME_COLUMNS = 'id uuid, phones text[], emails text[], name_key text, region text, industry text';

export interface DetectionSqlOptions {
  /** SQL producing `me` rows (ME_COLUMNS). */
  source: string;
  /** Placeholders of the tenant id, the threshold and the per-rule limit. */
  tenant: string;
  threshold: string;
  limit: string;
  /** Only pairs whose other side sorts after `me` (a full scan finds each pair once). */
  onlyHigher?: boolean;
  /**
   * One customer whose values are parameters: the index probes use them directly rather than `me.*`,
   * so the planner estimates them from the column statistics (a phone number matches one or two rows)
   * instead of a generic guess that can make a sequential scan look cheaper than the GIN indexes.
   */
  inline?: Record<'id' | 'phones' | 'emails' | 'nameKey' | 'region' | 'industry', string>;
}

/**
 * Rows: `pair_id, customer_a_id, customer_b_id, score (text), reasons` of the open pairs found and stored.
 */
export function detectionSql(options: DetectionSqlOptions): string {
  const { source, tenant, threshold, limit } = options;
  const me = options.inline ?? { id: 'me.id', phones: 'me.phones', emails: 'me.emails', nameKey: 'me.name_key', region: 'me.region', industry: 'me.industry' };
  const other = options.onlyHigher ? `AND s.customer_id > ${me.id}` : `AND s.customer_id <> ${me.id}`;
  const sameBlock = `((c.region IS NOT NULL AND c.region = ${me.region}) OR (c.industry IS NOT NULL AND c.industry = ${me.industry}))`;
  // Each probe finds its few hits in customer_search first (GIN) and only then joins them to customers
  // by primary key (region, industry, live). `OFFSET 0` keeps that order whatever the statistics say:
  // right after a bulk load, before autovacuum has analysed the tables, the planner otherwise starts from
  // customers and probes customer_search once per customer (40 s instead of 15 ms for 200 customers at
  // 15k rows). The exact probes have no LIMIT of their own: with one, a generic row estimate (batch,
  // scan) makes a sequential scan look cheaper than the GIN index; the union as a whole is limited instead.
  const probe = (condition: string, extra = '', limited = false) => `
              (SELECT s.customer_id, s.phones, s.emails, s.name_search, c.region, c.industry
                 FROM (SELECT s.customer_id, s.phones, s.emails, s.name_search FROM customer_search s
                        WHERE s.tenant_id = ${tenant} ${other} AND ${condition} OFFSET 0) s
                 JOIN customers c ON c.id = s.customer_id AND c.deleted_at IS NULL
                WHERE true ${extra}
                ${limited ? `LIMIT ${limit}` : ''})`;
  return `
    WITH me AS (${source}),
    found AS (
      SELECT me.id AS me_id, o.*
        FROM me
        CROSS JOIN LATERAL (
          SELECT x.customer_id AS other_id,
                 ARRAY(SELECT p FROM unnest(x.phones) p WHERE p = ANY(me.phones)) AS phone_hits,
                 ARRAY(SELECT e FROM unnest(x.emails) e WHERE e = ANY(me.emails)) AS email_hits,
                 customer_name_similarity(x.name_search, me.name_key) AS name_score,
                 (x.region IS NOT NULL AND x.region = me.region) AS same_region,
                 (x.industry IS NOT NULL AND x.industry = me.industry) AS same_industry
            FROM (${probe(`s.phones && ${me.phones}`)}
              UNION${probe(`s.emails && ${me.emails}`)}
              UNION${probe(`s.name_search % ${me.nameKey} AND customer_name_similarity(s.name_search, ${me.nameKey}) >= ${threshold}`, `AND ${sameBlock}`, true)}
              LIMIT 3 * ${limit}
            ) x
        ) o
    ),
    scored AS (
      SELECT LEAST(me_id, other_id) AS a, GREATEST(me_id, other_id) AS b,
             CASE WHEN cardinality(phone_hits) > 0 OR cardinality(email_hits) > 0 THEN 1::numeric
                  ELSE round(name_score::numeric, 3) END AS score,
             ARRAY(SELECT 'same_phone:' || p FROM unnest(phone_hits) p)
               || ARRAY(SELECT 'same_email:' || e FROM unnest(email_hits) e)
               || CASE WHEN name_score >= ${threshold} THEN ARRAY['similar_name:' || round(name_score::numeric, 2)::text] ELSE '{}'::text[] END
               || CASE WHEN same_region THEN ARRAY['same_region'] ELSE '{}'::text[] END
               || CASE WHEN same_industry THEN ARRAY['same_industry'] ELSE '{}'::text[] END AS reasons
        FROM found
       WHERE cardinality(phone_hits) > 0 OR cardinality(email_hits) > 0
          OR (name_score >= ${threshold} AND (same_region OR same_industry))
    ),
    pairs AS (
      SELECT DISTINCT ON (a, b) a, b, score, reasons FROM scored ORDER BY a, b, score DESC
    )
    INSERT INTO customer_duplicate_candidates AS d (id, tenant_id, customer_a_id, customer_b_id, score, reasons, status, detected_at)
    SELECT gen_random_uuid(), ${tenant}, a, b, score, reasons, 'open', now() FROM pairs
    ON CONFLICT (tenant_id, customer_a_id, customer_b_id) DO UPDATE
       SET score = EXCLUDED.score, reasons = EXCLUDED.reasons, detected_at = EXCLUDED.detected_at
     WHERE d.status = 'open'
    RETURNING d.id AS pair_id, d.customer_a_id, d.customer_b_id, d.score::text AS score, d.reasons`;
}

export interface DetectedPairRow {
  pair_id: string;
  customer_a_id: string;
  customer_b_id: string;
  score: string;
  reasons: string[];
}
