import { companyNameKey } from './leads.repository';

describe('companyNameKey', () => {
  it('drops legal forms so names of one company compare equal', () => {
    expect(companyNameKey('杭州远帆网络科技有限公司')).toBe('杭州远帆网络科技');
    expect(companyNameKey('杭州远帆网络科技公司')).toBe('杭州远帆网络科技');
    expect(companyNameKey('宁波重工集团有限公司')).toBe('宁波重工');
    expect(companyNameKey('ＡＣＭＥ Co., Ltd.')).toBe('acme');
    expect(companyNameKey('Globex Inc')).toBe('globex');
  });

  it('keeps a name that is nothing but a legal form', () => {
    expect(companyNameKey('有限公司')).toBe('有限公司');
  });
});
