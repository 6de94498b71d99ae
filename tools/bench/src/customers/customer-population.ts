import { prng } from '@crm/platform/random';

/**
 * A realistic customer base for benchmarks: Chinese people and companies with the name frequencies of a
 * real market (a few very common surnames, thousands of given names, company names from a large stock of
 * brand syllables), unique mainland mobiles written the way old systems store them, and a share of
 * duplicates (the same customer entered again with another phone format, a full-width name or an extra
 * space). Deterministic: the same seed gives the same customers.
 */

/** Surnames by frequency: the first ten cover about 40% of people, as in mainland China. */
const SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗',
  '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田', '董', '袁', '潘', '于', '蒋', '蔡',
  '余', '杜', '叶', '程', '苏', '魏', '吕', '丁', '任', '沈', '姚', '卢', '姜', '崔', '钟', '谭', '陆', '汪', '范', '金',
  '石', '廖', '贾', '夏', '韦', '付', '方', '白', '邹', '孟', '熊', '秦', '邱', '江', '尹', '薛', '闫', '段', '雷', '侯',
  '龙', '史', '陶', '黎', '贺', '顾', '毛', '郝', '龚', '邵', '万', '钱', '严', '覃', '武', '戴', '莫', '孔', '向', '欧阳',
];
const GIVEN_CHARACTERS = [
  ...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉兰萍红鹏辉建国文斌宇浩凯秀梅晶丹琳雪婷雨欣怡佳子轩涵博睿',
  ...'志宏海波飞鑫亮成俊峰林华丰庆东晨阳光春燕颖慧敏莉倩嘉豪瑞琪思远航泽宁安康永福禄寿德仁义礼智信忠孝和顺',
];
const CITIES = ['北京', '上海', '广州', '深圳', '杭州', '成都', '武汉', '南京', '苏州', '西安', '重庆', '天津', '长沙', '郑州', '青岛', '厦门', '宁波', '合肥', '济南', '沈阳'];
const BRAND_SYLLABLES = [...'华中科鼎盛瑞丰天成恒通博远新世纪联创优信达汇金泰宏图远航安和美嘉德润泽云智星辰启明方圆众合长城东方南山北辰'];
const COMPANY_KINDS = ['科技', '贸易', '实业', '信息技术', '电子', '物流', '食品', '医药', '建材', '文化传媒'];
const COMPANY_SUFFIXES = ['有限公司', '股份有限公司', '（集团）有限公司', '有限责任公司'];
const MOBILE_PREFIXES = ['130', '131', '132', '135', '136', '137', '138', '139', '150', '151', '152', '158', '159', '166', '177', '180', '186', '188', '189', '199'];
const MAIL_DOMAINS = ['qq.com', '163.com', '126.com', 'sina.com', 'gmail.com', 'outlook.com', 'foxmail.com'];
const INDUSTRIES = ['互联网/IT', '制造业', '金融', '教育', '零售', '医疗', '物流', '房地产', '能源', '餐饮'];
const REGIONS = ['华东', '华北', '华南', '西南', '华中', '东北', '西北'];
const SOURCES = ['官网', '展会', '转介绍', '电话营销', '百度推广', '微信', '天猫'];
const TAGS = ['VIP', '重点客户', '老客户', '待跟进', 'KA', '高意向', '价格敏感'];

export interface PopulationOptions {
  seed?: number;
  /** Share of customers entered twice (0–1). */
  duplicateShare?: number;
}

/** One customer as an integrator sends it to `POST /api/v1/customers/batch`. */
export interface PopulationCustomer {
  type: 'person' | 'company';
  name: string;
  phones: string[];
  emails: string[];
  industry: string;
  region: string;
  source: string;
  tags: string[];
  externalId: string;
}

/** Customers `from` … `from + count - 1` of the population (so it can be produced in chunks). */
export class CustomerPopulation {
  private readonly random: () => number;
  private readonly duplicateShare: number;
  private readonly recent: PopulationCustomer[] = [];
  private produced = 0;

  constructor(options: PopulationOptions = {}) {
    this.random = prng(options.seed ?? 1);
    this.duplicateShare = options.duplicateShare ?? 0.05;
  }

  /** The next `count` customers. */
  next(count: number): PopulationCustomer[] {
    const customers: PopulationCustomer[] = [];
    for (let i = 0; i < count; i++) {
      const index = this.produced++;
      const earlier = this.recent.length > 0 && this.random() < this.duplicateShare ? this.recent[Math.floor(this.random() * this.recent.length)] : undefined;
      const customer = earlier ? this.reEntered(earlier, index) : this.fresh(index);
      if (!earlier) {
        if (this.recent.length < 10_000) this.recent.push(customer);
        else this.recent[Math.floor(this.random() * this.recent.length)] = customer;
      }
      customers.push(customer);
    }
    return customers;
  }

  /** A mobile number as it is written in the wild, with the same digits. */
  writtenMobile(national: string): string {
    const dice = this.random();
    if (dice < 0.5) return national;
    if (dice < 0.65) return `+86 ${national.slice(0, 3)}-${national.slice(3, 7)}-${national.slice(7)}`;
    if (dice < 0.75) return `86${national}`;
    if (dice < 0.85) return `0086 ${national}`;
    return `${national.slice(0, 3)} ${national.slice(3, 7)} ${national.slice(7)}`;
  }

  /** A unique mainland mobile number: the prefix and the index spread over eight digits. */
  mobileOf(index: number): string {
    const prefix = MOBILE_PREFIXES[index % MOBILE_PREFIXES.length];
    const subscriber = (Math.floor(index / MOBILE_PREFIXES.length) * 7_919 + 1_234_567) % 100_000_000;
    return `${prefix}${String(subscriber).padStart(8, '0')}`;
  }

  private fresh(index: number): PopulationCustomer {
    const pick = <T>(items: readonly T[]): T => items[Math.floor(this.random() * items.length)];
    // Squaring skews towards the front of the surname list: common surnames are much more common.
    const surname = SURNAMES[Math.floor(this.random() ** 2 * SURNAMES.length)];
    const company = this.random() < 0.4;
    const name = company
      ? `${pick(CITIES)}${pick(BRAND_SYLLABLES)}${pick(BRAND_SYLLABLES)}${pick(COMPANY_KINDS)}${pick(COMPANY_SUFFIXES)}`
      : `${surname}${pick(GIVEN_CHARACTERS)}${this.random() < 0.7 ? pick(GIVEN_CHARACTERS) : ''}`;
    const mobile = this.mobileOf(index);
    return {
      type: company ? 'company' : 'person',
      name,
      phones: [this.writtenMobile(mobile)],
      emails: this.random() < 0.6 ? [`user${index}@${pick(MAIL_DOMAINS)}`] : [],
      industry: pick(INDUSTRIES),
      region: pick(REGIONS),
      source: pick(SOURCES),
      tags: this.random() < 0.3 ? [pick(TAGS)] : [],
      externalId: `ERP-${index}`,
    };
  }

  /** The same customer entered again: same phone in another format, name with stray whitespace. */
  private reEntered(earlier: PopulationCustomer, index: number): PopulationCustomer {
    const digits = earlier.phones[0].replace(/\D/g, '').slice(-11);
    return {
      ...earlier,
      name: this.random() < 0.5 ? ` ${earlier.name}` : earlier.name,
      phones: [this.writtenMobile(digits)],
      externalId: `ERP-${index}`,
    };
  }
}
