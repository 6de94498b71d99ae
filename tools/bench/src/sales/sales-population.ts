import type { DataSource, EntityManager } from 'typeorm';

/**
 * The sales database of a large tenant, loaded in set-based SQL (generate_series) because a million
 * opportunities through the API would take hours: reps in teams, customers in the directory, leads
 * (open and closed, with their dedup search rows), opportunities with the stage rows the funnel reads,
 * and contracts with their instalments. Rows are what the service itself writes, column for column;
 * triggers (lead loads, funnel roll-ups) run as they do for the service.
 */
export interface SalesPopulationSize {
  reps: number;
  customers: number;
  leads: number;
  opportunities: number;
  contracts: number;
  instalmentsPerContract: number;
}

export const TEAMS = 5;
export const REGIONS = ['华东', '华北', '华南', '西南', '华中'];
export const INDUSTRIES = ['制造业', '互联网/IT', '金融', '教育', '零售', '医疗'];
const CITIES = ['上海', '北京', '深圳', '杭州', '成都', '武汉', '南京', '苏州', '广州', '西安'];
const WORDS = [
  '云启', '星河', '博远', '恒信', '华创', '瑞丰', '汇通', '凯达', '新元', '盛世', '中科', '天成', '佳和', '金桥', '宏图', '安泰', '远帆', '德润', '嘉禾', '鼎盛',
  '同舟', '明辉', '海纳', '锦程', '立信', '万象', '东方', '长青', '致远', '晨光', '永安', '聚源', '智联', '卓越', '和创', '九州', '众诚', '景泰', '源丰', '华瑞',
];
const TRADES = ['科技', '贸易', '制造', '信息技术', '物流', '医疗器械', '教育咨询', '食品', '网络科技', '新材料', '环保', '电子', '生物', '建筑工程', '文化传媒', '能源'];

/** SQL array literals of the vocabularies, for generate_series loads. */
const sqlArray = (values: readonly string[]): string => `ARRAY[${values.map((value) => `'${value}'`).join(',')}]`;

/** A company name the way the loads build them from g (deterministic, many thousands of distinct names). */
export function companyNameSql(g: string): string {
  const words = sqlArray(WORDS);
  return `(${sqlArray(CITIES)})[1 + ${g} % ${CITIES.length}] || (${words})[1 + (${g} / ${CITIES.length}) % ${WORDS.length}] || (${words})[1 + (${g} / ${CITIES.length * WORDS.length}) % ${WORDS.length}] || (${sqlArray(TRADES)})[1 + (${g} / ${CITIES.length * WORDS.length * WORDS.length}) % ${TRADES.length}] || '有限公司'`;
}

/** The same naming in TypeScript, for requests that should (or should not) match what was loaded. */
export function companyName(g: number): string {
  const word = (index: number) => WORDS[index % WORDS.length];
  const trade = TRADES[Math.floor(g / (CITIES.length * WORDS.length * WORDS.length)) % TRADES.length];
  return `${CITIES[g % CITIES.length]}${word(Math.floor(g / CITIES.length))}${word(Math.floor(g / (CITIES.length * WORDS.length)))}${trade}有限公司`;
}

/** A company name outside the loads' vocabulary: a 字号 of two characters the loads never use. */
export function newCompanyName(g: number): string {
  const hanzi = (n: number) => String.fromCharCode(0x4e00 + (n % 20_000));
  return `${CITIES[g % CITIES.length]}${hanzi(g * 7 + 11)}${hanzi(Math.floor(g / 20_000) * 13 + 5)}${TRADES[g % TRADES.length]}有限公司`;
}


/** Mobile numbers of the loads: leads 139…, customers 136…, fresh ones in requests 137…. */
export const leadPhone = (g: number): string => `+86139${String(g).padStart(8, '0')}`;
export const customerPhone = (g: number): string => `+86136${String(g).padStart(8, '0')}`;

/** A transaction of `tenantId` (row-level security), as the service's own transactions are. */
export function asTenant<T>(db: DataSource, tenantId: string, fn: (manager: EntityManager) => Promise<T>): Promise<T> {
  return db.transaction(async (manager) => {
    await manager.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
    return fn(manager);
  });
}

export async function loadSalesPopulation(db: DataSource, tenantId: string, pipelineId: string, size: SalesPopulationSize): Promise<{ reps: string[]; teams: string[] }> {
  const run = (sql: string, params: unknown[]) => asTenant(db, tenantId, (manager) => manager.query(sql, params));
  const teams: string[] = (await db.query(`SELECT gen_random_uuid() AS id FROM generate_series(1, $1)`, [TEAMS])).map((row: { id: string }) => row.id);
  const reps: string[] = (await db.query(`SELECT gen_random_uuid() AS id FROM generate_series(1, $1)`, [size.reps])).map((row: { id: string }) => row.id);

  await run(
    `INSERT INTO users (id, tenant_id, name, active, roles, seniority, team_ids, version)
     SELECT r.id, $1, '销售' || r.n, true, ARRAY['rep'], CASE WHEN r.n % 4 = 0 THEN 'senior' ELSE 'junior' END, ARRAY[($3::uuid[])[1 + r.n % ${TEAMS}]], 1
       FROM unnest($2::uuid[]) WITH ORDINALITY AS r(id, n)`,
    [tenantId, reps, teams],
  );
  await run(`INSERT INTO user_team_members (team_id, user_id, tenant_id) SELECT team_ids[1], id, tenant_id FROM users WHERE tenant_id = $1`, [tenantId]);

  await run(
    `INSERT INTO customer_directory (id, tenant_id, type, name, owner_id, region, industry, status, version)
     SELECT gen_random_uuid(), $1, 'company', ${companyNameSql('(g + 5000000)')}, ($2::uuid[])[1 + g % $4], (${sqlArray(REGIONS)})[1 + g % 5], (${sqlArray(INDUSTRIES)})[1 + g % 6], 'active', 1
       FROM generate_series(1, $3) g`,
    [tenantId, reps, size.customers, reps.length],
  );
  await run(
    `INSERT INTO customer_contact_keys (tenant_id, contact_key, customer_id)
     SELECT tenant_id, 'p:+86136' || lpad((row_number() OVER (ORDER BY id))::text, 8, '0'), id FROM customer_directory WHERE tenant_id = $1`,
    [tenantId],
  );
  await run(`INSERT INTO customer_name_search (customer_id, tenant_id, name_key) SELECT id, tenant_id, lower(name) FROM customer_directory WHERE tenant_id = $1`, [tenantId]);

  // Leads: two in five still open (new/working), the rest converted or disqualified.
  await run(
    `INSERT INTO leads (id, tenant_id, channel, status, company_name, contact_name, phone, email, industry, company_size, region, owner_id, score, score_reasons,
                        capture_count, last_interaction_at, created_at, updated_at, version)
     SELECT gen_random_uuid(), $1, (ARRAY['web_form','event','partner_referral','import','manual','api'])[1 + g % 6],
            (ARRAY['new','working','converted','disqualified','converted'])[1 + g % 5],
            ${companyNameSql('g')}, '联系人' || g, '+86139' || lpad(g::text, 8, '0'), 'lead' || g || '@example.cn',
            (${sqlArray(INDUSTRIES)})[1 + g % 6], 10 + g % 5000, (${sqlArray(REGIONS)})[1 + g % 5],
            CASE WHEN g % 10 = 0 THEN NULL ELSE ($2::uuid[])[1 + g % $4] END, g % 101, '[]',
            1, now() - (g % 365) * interval '1 day', now() - (g % 730) * interval '1 day', now() - (g % 365) * interval '1 day', 1
       FROM generate_series(1, $3) g`,
    [tenantId, reps, size.leads, reps.length],
  );
  await run(
    `INSERT INTO lead_name_search (lead_id, tenant_id, name_key)
     SELECT id, tenant_id, lower(regexp_replace(company_name, '有限公司$', '')) FROM leads WHERE tenant_id = $1 AND status IN ('new', 'working', 'qualified') AND company_name IS NOT NULL`,
    [tenantId],
  );

  // Opportunities: a sixth in each open stage, won and lost; opened over three years; every tenth in USD.
  await run(
    `INSERT INTO opportunities (id, tenant_id, name, customer_id, owner_id, pipeline_id, stage, status, amount_micros, currency, expected_close_date,
                                stage_entered_at, last_touched_at, opened_at, closed_at, version)
     SELECT gen_random_uuid(), $1, '商机' || g, gen_random_uuid(), ($3::uuid[])[1 + g % $5], $2,
            (ARRAY['initial_contact','needs_confirmed','proposal','contract_signed','won','lost'])[1 + g % 6],
            CASE g % 6 WHEN 4 THEN 'won' WHEN 5 THEN 'lost' ELSE 'open' END,
            (1 + g % 1000) * 1000000000::bigint, CASE WHEN g % 10 = 0 THEN 'USD' ELSE 'CNY' END, date '2026-01-01' + (g % 700),
            now(), now() - (g % 100) * interval '1 day', timestamptz '2024-01-01' + (g % 1000) * interval '1 day',
            CASE WHEN g % 6 IN (4, 5) THEN timestamptz '2024-01-01' + (g % 1000 + 30) * interval '1 day' END, 1
       FROM generate_series(1, $4) g`,
    [tenantId, pipelineId, reps, size.opportunities, reps.length],
  );
  await run(
    `INSERT INTO opportunity_stage_reach (opportunity_id, stage, tenant_id, pipeline_id, opened_at, first_entered_at, advanced, stays_finished, finished_ms)
     SELECT o.id, s.key, o.tenant_id, o.pipeline_id, o.opened_at, o.opened_at + s.position * interval '3 days', s.position < (hashtext(o.id::text) & 3),
            CASE WHEN s.position < (hashtext(o.id::text) & 3) THEN 1 ELSE 0 END, 259200000
       FROM opportunities o JOIN pipeline_stages s ON s.pipeline_id = o.pipeline_id AND s.kind = 'open' AND s.position <= (hashtext(o.id::text) & 3)
      WHERE o.tenant_id = $1`,
    [tenantId],
  );

  // Contracts in force with instalments due over two years either side of today; a third paid.
  await run(
    `INSERT INTO contracts (id, tenant_id, contract_number, title, customer_id, owner_id, amount_micros, currency, start_date, end_date, status, signed_at, version)
     SELECT gen_random_uuid(), $1, 'HT-BENCH-' || g, '合同' || g, gen_random_uuid(), ($2::uuid[])[1 + g % $4], $5 * 10000000000::bigint,
            CASE WHEN g % 10 = 0 THEN 'USD' ELSE 'CNY' END, current_date - (g % 730), current_date - (g % 730) + 730, 'active', now(), 1
       FROM generate_series(1, $3) g`,
    [tenantId, reps, size.contracts, reps.length, size.instalmentsPerContract],
  );
  await run(
    `INSERT INTO contract_instalments (id, tenant_id, contract_id, seq, due_date, amount_micros, received_micros, currency, owner_id, collectible)
     SELECT gen_random_uuid(), c.tenant_id, c.id, s, c.start_date + s * 120, 10000000000, CASE WHEN (hashtext(c.id::text) + s) % 3 = 0 THEN 10000000000 ELSE 0 END,
            c.currency, c.owner_id, true
       FROM contracts c CROSS JOIN generate_series(1, $2) s WHERE c.tenant_id = $1`,
    [tenantId, size.instalmentsPerContract],
  );
  for (const table of ['users', 'customer_directory', 'customer_contact_keys', 'customer_name_search', 'leads', 'lead_name_search', 'opportunities', 'opportunity_stage_reach', 'funnel_rollup', 'contracts', 'contract_instalments']) {
    await db.query(`VACUUM ANALYZE ${table}`);
  }
  return { reps, teams };
}
