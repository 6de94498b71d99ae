/**
 * Micro-benchmark of `standardiseCustomer` on realistic, dirty Chinese customer rows (the lead wires it into
 * `npm run bench`). Import targets 20,000 rows/s end to end, so standardisation must be far faster than that.
 */
import { prng } from '@crm/platform/random';
import { standardiseCustomer, type CustomerWriteInput } from './customer';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '欧阳'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平'];
const CITIES = ['北京', '上海', '广州', '深圳', '杭州', '成都', '武汉', '南京', '苏州', '西安'];
const COMPANY_WORDS = ['华信', '中科', '鼎盛', '瑞丰', '天成', '恒通', '博远', 'ABC', 'ＸＹＺ', '新世纪'];
const COMPANY_SUFFIXES = ['科技有限公司', '贸易有限公司', '（集团）股份有限公司', '信息技术有限公司', '实业有限公司'];
const MOBILE_PREFIXES = ['130', '131', '132', '135', '136', '137', '138', '139', '150', '151', '152', '158', '159', '166', '177', '180', '186', '188', '189', '199'];
const AREA_CODES = ['10', '21', '20', '755', '571', '28', '27', '25', '512', '29'];
const MAIL_DOMAINS = ['qq.com', '163.com', '126.com', 'sina.com', 'gmail.com', 'example.com.cn'];
const INDUSTRIES = ['互联网/IT', '制造业', '金融', '教育', '零售', ' 医疗 ', '互联网／ＩＴ'];
const REGIONS = ['华东', '华北', '华南', '西南', '华中', '华东　上海'];
const SOURCES = ['官网', '展会', '转介绍', '电话营销', '百度推广', ' 微信 '];
const TAGS = ['VIP', 'vip', '重点客户', '老客户', '待跟进', 'ＫＡ', 'KA', '高意向'];
const INVALID_PHONES = ['13800138000 ext. 12', '无', '1380013', '138-0013-800a', '000000'];
const INVALID_EMAILS = ['zhang.example.com', 'li@qq', '王 @163.com'];

/**
 * Dirty rows as an import from an old system delivers them: ~2% invalid phones, formats of every kind
 * (+86, 86 without +, 0086, full-width, separators, landlines), full-width names, padded labels, duplicate tags.
 */
export function sampleCustomerRows(count: number, seed = 1): CustomerWriteInput[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const digits = (n: number): string => String(Math.floor(random() * 10 ** n)).padStart(n, '0');
  const fullWidth = (text: string): string => text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

  const phone = (): string => {
    const dice = random();
    const mobile = `${pick(MOBILE_PREFIXES)}${digits(8)}`;
    if (dice < 0.02) return pick(INVALID_PHONES);
    if (dice < 0.04) return `+1 650 ${digits(3)} ${digits(4)}`;
    if (dice < 0.2) return `0${pick(AREA_CODES)}-${digits(8)}`;
    if (dice < 0.5) return mobile;
    if (dice < 0.6) return `+86 ${mobile.slice(0, 3)}-${mobile.slice(3, 7)}-${mobile.slice(7)}`;
    if (dice < 0.7) return `86${mobile}`;
    if (dice < 0.75) return `0086 ${mobile}`;
    if (dice < 0.8) return fullWidth(mobile);
    return `${mobile.slice(0, 3)} ${mobile.slice(3, 7)} ${mobile.slice(7)} `;
  };
  const email = (): string => {
    const dice = random();
    const address = `${pick(['zhang', 'li', 'wang', 'chen', 'sales', 'info'])}${digits(3)}@${pick(MAIL_DOMAINS)}`;
    if (dice < 0.01) return pick(INVALID_EMAILS);
    if (dice < 0.03) return fullWidth(address);
    if (dice < 0.2) return ` ${address.toUpperCase()} `;
    return address;
  };

  const rows: CustomerWriteInput[] = [];
  for (let i = 0; i < count; i++) {
    const company = random() < 0.4;
    const name = company ? `${pick(CITIES)}${pick(COMPANY_WORDS)}${pick(COMPANY_SUFFIXES)}` : `${pick(SURNAMES)}${pick(GIVEN)}${random() < 0.5 ? pick(GIVEN) : ''}`;
    const phones = random() < 0.3 ? [phone(), phone()] : [phone()];
    rows.push({
      type: company ? 'company' : 'person',
      name: random() < 0.1 ? `\u3000${name} ` : name,
      nameEn: random() < 0.2 ? ` Customer ${digits(4)} ` : undefined,
      phones,
      emails: random() < 0.6 ? [email()] : [],
      wechatIds: random() < 0.3 ? [`wx_${digits(6)}`] : undefined,
      industry: pick(INDUSTRIES),
      region: pick(REGIONS),
      source: pick(SOURCES),
      tags: Array.from({ length: Math.floor(random() * 4) }, () => pick(TAGS)),
      ownerId: `u-${digits(3)}`,
    });
  }
  return rows;
}

/** Distinct rows cycled through; enough that no result repeats in a way a cache could exploit. */
const POOL_SIZE = 10_000;

/** Standardises `rows` rows (after a warm-up pass for the JIT) and returns the throughput in rows per second. */
export function benchmarkStandardisation(rows: number): number {
  const pool = sampleCustomerRows(Math.min(Math.max(rows, 1), POOL_SIZE));
  let problems = 0;
  for (const row of pool) problems += standardiseCustomer(row).problems.length;

  const start = process.hrtime.bigint();
  for (let i = 0; i < rows; i++) problems += standardiseCustomer(pool[i % pool.length]).problems.length;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;

  // Using the results keeps the optimiser from discarding the calls.
  if (problems < 0) throw new Error('unreachable');
  return seconds > 0 ? rows / seconds : Number.POSITIVE_INFINITY;
}
