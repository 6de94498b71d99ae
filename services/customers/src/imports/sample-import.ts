/**
 * A realistic import file for benchmarks and tests: the dirty Chinese customer rows of the
 * standardisation benchmark (phones in every format, full-width text, ~3% invalid values), written as
 * an old system exports them (Chinese headers, 个人/企业, tags joined by `|`), with a share of rows
 * repeating an earlier customer's mobile number in another format. The generator also works out what a
 * correct import makes of the file (rejected rows, customers, duplicates), with the same standardisation
 * and the same rule (a shared E.164 phone, e-mail or externalId is one customer), so a benchmark can
 * check its counts.
 */
import { standardiseCustomer } from '../standardisation';
import { prng } from '@crm/platform/random';
import { sampleCustomerRows } from '../standardisation/benchmark';
import { csvLine } from './csv-output';
import { DEFAULT_NULL_VALUES, type ImportMappingInput } from './import-mapping';

export const SAMPLE_IMPORT_HEADER = ['客户编号', '客户名称', '类型', '手机', '电话', '备用电话', '邮箱', '微信', '行业', '省份', '来源', '标签', '最后联系'];

export const SAMPLE_IMPORT_MAPPING: ImportMappingInput = {
  fields: {
    externalId: '客户编号',
    name: '客户名称',
    type: '类型',
    phones: ['手机', '电话', '备用电话'],
    emails: '邮箱',
    wechatIds: '微信',
    industry: '行业',
    region: '省份',
    source: '来源',
  },
  tags: '标签',
  tagSeparator: '|',
  lastContactColumn: '最后联系',
};

export interface SampleImportOptions {
  seed?: number;
  /** Share of rows that repeat an earlier customer's mobile number, written another way. */
  duplicateShare?: number;
  /** Share of rows whose invalid phone or e-mail is kept (the rest are repaired), about the share of rejected rows. */
  invalidShare?: number;
}

/** What a correct import of the file in skip mode into an empty tenant comes to. */
export interface SampleImportTruth {
  rows: number;
  rejected: number;
  /** Customers created: one per group of valid rows sharing a phone, e-mail or externalId. */
  customers: number;
  /** Valid rows that are another row's customer. */
  duplicates: number;
  /** Rows written as repeats of an earlier customer (the rest of `duplicates` are chance collisions). */
  repeatsWritten: number;
}

const BATCH = 10_000;
const RECENT = 5_000;
const NATURAL_INVALID_SHARE = 0.032;
const NULL_VALUES = new Set(DEFAULT_NULL_VALUES);

/**
 * The file's lines (header first), generated as they are consumed (constant memory but for the
 * bookkeeping of the truth: one map entry per distinct phone and e-mail). `truth()` is complete once
 * every line has been read.
 */
export function sampleImport(count: number, options: SampleImportOptions = {}): { lines: Iterable<string>; truth: () => SampleImportTruth } {
  const seed = options.seed ?? 7;
  const duplicateShare = options.duplicateShare ?? 0.05;
  const keepInvalid = Math.min(1, (options.invalidShare ?? 0.02) / NATURAL_INVALID_SHARE);
  const random = prng(seed ^ 0x5eed);
  const groups = new UnionFind(count);
  const owners = new Map<string, number>();
  const truth: SampleImportTruth = { rows: count, rejected: 0, customers: 0, duplicates: 0, repeatsWritten: 0 };
  const recentMobiles: string[] = [];

  function* lines(): Iterable<string> {
    yield csvLine(SAMPLE_IMPORT_HEADER);
    for (let start = 0; start < count; start += BATCH) {
      const rows = sampleCustomerRows(Math.min(BATCH, count - start), seed + start);
      for (let offset = 0; offset < rows.length; offset++) {
        const index = start + offset;
        const row = rows[offset];
        // E-mails made unique (the benchmark's come from a small pool), so repeats are the ones written here.
        let emails = (row.emails ?? []).map((email) => email.replace(/[@＠]/, (at) => `.r${index}${at}`));
        let phones = [...(row.phones ?? [])];
        const repeat = recentMobiles.length > 0 && random() < duplicateShare;
        if (repeat) {
          phones = [otherFormat(recentMobiles[Math.floor(random() * recentMobiles.length)], random)];
          emails = [];
          truth.repeatsWritten++;
        }
        // Cells such as 无 mean no value to an import, not an invalid one.
        const given = () => ({ phones: phones.filter((phone) => !NULL_VALUES.has(phone.trim())), emails });
        let checked = standardiseCustomer(given());
        if (checked.problems.length > 0 && random() >= keepInvalid) {
          const read = given();
          const invalid = new Set(checked.problems.map((problem) => problem.field));
          const badPhones = new Set(read.phones.filter((_, i) => invalid.has(`phones[${i}]`)));
          phones = phones.filter((phone) => !badPhones.has(phone));
          emails = emails.filter((_, i) => !invalid.has(`emails[${i}]`));
          checked = standardiseCustomer(given());
        }
        if (checked.problems.length > 0) truth.rejected++;
        else {
          for (const key of [...(checked.value.phones ?? []), ...(checked.value.emails ?? [])]) {
            const owner = owners.get(key);
            if (owner === undefined) owners.set(key, index);
            else groups.union(owner, index);
          }
          groups.markValid(index);
          const mobile = checked.value.phones?.find((phone) => phone.startsWith('+861'));
          if (mobile && !repeat) {
            if (recentMobiles.length < RECENT) recentMobiles.push(mobile);
            else recentMobiles[Math.floor(random() * RECENT)] = mobile;
          }
        }
        yield csvLine([
          `C${String(index + 1).padStart(8, '0')}`,
          String(row.name ?? ''),
          row.type === 'company' ? '企业' : '个人',
          phones[0] ?? '',
          phones[1] ?? '',
          phones.slice(2).join('/'),
          emails.join(';'),
          row.wechatIds?.[0] ?? '',
          String(row.industry ?? ''),
          String(row.region ?? ''),
          String(row.source ?? ''),
          (row.tags ?? []).join('|'),
          lastContact(random),
        ]);
      }
    }
    truth.customers = groups.validRoots();
    truth.duplicates = count - truth.rejected - truth.customers;
  }

  return { lines: lines(), truth: () => ({ ...truth }) };
}

/** A mainland mobile in E.164 (+8613800138000) written as people do: 13800138000, +86 138-0013-8000, 8613800138000, 0086 …. */
function otherFormat(e164: string, random: () => number): string {
  const national = e164.slice(3);
  const formats = [
    national,
    `+86 ${national.slice(0, 3)}-${national.slice(3, 7)}-${national.slice(7)}`,
    `86${national}`,
    `0086 ${national}`,
    `${national.slice(0, 3)} ${national.slice(3, 7)} ${national.slice(7)}`,
  ];
  return formats[Math.floor(random() * formats.length)];
}

/** A last-contact date within the past three years, in one of the usual spellings. */
function lastContact(random: () => number): string {
  if (random() < 0.2) return '';
  const date = new Date(Date.UTC(2023, 0, 1) + Math.floor(random() * 3 * 365) * 86_400_000);
  const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
  const dice = random();
  if (dice < 0.5) return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (dice < 0.8) return `${year}/${month}/${day}`;
  return `${year}年${month}月${day}日`;
}

/** Groups of rows joined by a shared key; only valid rows count. */
class UnionFind {
  private readonly parent: Int32Array;
  private readonly valid: Uint8Array;

  constructor(size: number) {
    this.parent = Int32Array.from({ length: size }, (_, i) => i);
    this.valid = new Uint8Array(size);
  }

  markValid(index: number): void {
    this.valid[index] = 1;
  }

  union(a: number, b: number): void {
    const [rootA, rootB] = [this.find(a), this.find(b)];
    if (rootA !== rootB) this.parent[Math.max(rootA, rootB)] = Math.min(rootA, rootB);
  }

  validRoots(): number {
    let roots = 0;
    for (let i = 0; i < this.parent.length; i++) if (this.valid[i] && this.find(i) === i) roots++;
    return roots;
  }

  private find(index: number): number {
    let root = index;
    while (this.parent[root] !== root) root = this.parent[root];
    while (this.parent[index] !== root) [this.parent[index], index] = [root, this.parent[index]];
    return root;
  }
}
