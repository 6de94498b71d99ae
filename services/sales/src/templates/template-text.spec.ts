import { checkPlaceholders, placeholdersOf, render } from './template-text';

describe('template text', () => {
  it('finds placeholders with or without spaces, once each', () => {
    expect(placeholdersOf('您好 {{customer.name}}，我是{{ owner.name }}。{{customer.name}}')).toEqual(['customer.name', 'owner.name']);
    expect(placeholdersOf('no placeholders { here }')).toEqual([]);
  });

  it('reports undeclared and malformed placeholders', () => {
    expect(checkPlaceholders(['Hi {{customer.name}} {{deal.size}} {{ 1x }} {{}}'], ['customer.name'])).toEqual({ unknown: ['deal.size'], malformed: ['1x', ''] });
    expect(checkPlaceholders(['{{a.b}}', '{{c}}'], ['a.b', 'c'])).toEqual({ unknown: [], malformed: [] });
  });

  it('renders values and reports the missing ones as empty', () => {
    const values = new Map([['customer.name', '云启科技']]);
    expect(render('尊敬的{{customer.name}}，金额 {{opportunity.amount}} 元', values)).toEqual({ text: '尊敬的云启科技，金额  元', missing: ['opportunity.amount'] });
  });
});
