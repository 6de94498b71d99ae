import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { CustomerMergedEvent, CustomerMergedSchema, CustomerSchema } from '@crm/contracts';
import { TenantTransactions } from '@crm/platform/database';
import { ContractsHandoverParticipant } from '../src/contracts/contracts-handover.participant';
import { caller, SalesHarness } from './sales-harness';

const M = 1_000_000n;
const micros = (units: number): string => (BigInt(units) * M).toString();

describe('sales: contracts, payment schedules, receipts and invoices', () => {
  let sales: SalesHarness;
  const tenantId = randomUUID();
  const rep = caller(tenantId, ['rep']);
  const otherRep = caller(tenantId, ['rep']);
  let customerId: string;

  beforeAll(async () => {
    sales = await SalesHarness.start('sales_contracts');
    customerId = await sales.publishCustomer({ tenantId, name: '深圳前海物流有限公司' });
  });

  afterAll(async () => {
    await sales?.stop();
  });

  const draft = async (amountUnits = 1000) => {
    const response = await sales
      .as(rep)
      .post('/contracts')
      .send({ customerId, title: '2027 年度物流服务合同', amountMicros: micros(amountUnits), currency: 'CNY', startDate: '2027-01-01', endDate: '2027-12-31', terms: '按季度付款' });
    expect(response.status).toBe(201);
    return response.body;
  };

  it('drafts numbered contracts and refuses customers that are not live', async () => {
    const contract = await draft();
    expect(contract).toMatchObject({ status: 'draft', ownerId: rep.userId, amount: { amountMicros: micros(1000), currency: 'CNY' }, instalments: [], version: 1 });
    expect(contract.contractNumber).toMatch(/^HT-\d{4}-\d{6}$/);
    const second = await draft();
    expect(Number(second.contractNumber.slice(-6))).toBe(Number(contract.contractNumber.slice(-6)) + 1);
    const gone = await sales.as(rep).post('/contracts').send({ customerId: randomUUID(), title: 'x', amountMicros: '1', currency: 'CNY', startDate: '2027-01-01' });
    expect(gone.status).toBe(422);
    const dates = await sales.as(rep).post('/contracts').send({ customerId, title: 'x', amountMicros: '1', currency: 'CNY', startDate: '2027-01-01', endDate: '2026-01-01' });
    expect(dates.body.code).toBe('contract_dates_invalid');
    expect((await sales.as(otherRep).get(`/contracts/${contract.id}`)).status).toBe(404);
  });

  it('needs a schedule that adds up to the contract amount, and signs with ContractSigned', async () => {
    const contract = await draft();
    const wrong = await sales.as(rep).put(`/contracts/${contract.id}/schedule`).send({ instalments: [{ dueDate: '2027-03-31', amountMicros: micros(500) }, { dueDate: '2027-06-30', amountMicros: micros(499) }] });
    expect(wrong.status).toBe(422);
    expect(wrong.body.code).toBe('schedule_sum_mismatch');

    const scheduled = await sales
      .as(rep)
      .put(`/contracts/${contract.id}/schedule`)
      .set('If-Match', '"1"')
      .send({ instalments: [{ dueDate: '2027-06-30', amountMicros: micros(300) }, { dueDate: '2027-03-31', amountMicros: micros(100) }, { dueDate: '2027-09-30', amountMicros: micros(600) }] });
    expect(scheduled.status).toBe(200);
    expect(scheduled.body.instalments.map((instalment: { dueDate: string; seq: number }) => [instalment.seq, instalment.dueDate])).toEqual([
      [1, '2027-03-31'],
      [2, '2027-06-30'],
      [3, '2027-09-30'],
    ]);
    expect(scheduled.body.version).toBe(2);

    const onDraft = await sales.as(rep).post(`/contracts/${contract.id}/receipts`).send({ amountMicros: micros(10), receivedAt: '2027-03-01T00:00:00Z' });
    expect(onDraft.body.code).toBe('contract_not_collectible');
    expect((await sales.as(rep).patch(`/contracts/${contract.id}`).send({ status: 'active' })).status).toBe(409);
    expect((await sales.as(rep).patch(`/contracts/${contract.id}`).send({ amountMicros: micros(2000) })).body.code).toBe('schedule_sum_mismatch');

    const signed = await sales.as(rep).patch(`/contracts/${contract.id}`).set('If-Match', '"2"').send({ status: 'signed' });
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ status: 'signed', version: 3 });
    expect(signed.body.signedAt).toEqual(expect.any(String));
    expect((await sales.as(rep).patch(`/contracts/${contract.id}`).send({ amountMicros: micros(1000), currency: 'USD' })).body.code).toBe('contract_signed');
    const [event] = await sales.outboxOf(contract.id);
    expect(event).toMatchObject({
      type: 'crm.sales.contract.signed.v1',
      data: { tenantId, contractId: contract.id, customerId, contractNumber: contract.contractNumber, amountMicros: micros(1000), currency: 'CNY', startDate: '2027-01-01', endDate: '2027-12-31', instalments: 3, ownerId: rep.userId, version: '3' },
    });
  });

  it('applies receipts to the oldest open instalments (or the named one), refuses over-payments and emits PaymentReceived', async () => {
    const contract = await draft();
    const schedule = (
      await sales
        .as(rep)
        .put(`/contracts/${contract.id}/schedule`)
        .send({ instalments: [{ dueDate: '2027-03-31', amountMicros: micros(100) }, { dueDate: '2027-06-30', amountMicros: micros(300) }, { dueDate: '2027-09-30', amountMicros: micros(600) }] })
    ).body.instalments as Array<{ id: string }>;
    await sales.as(rep).patch(`/contracts/${contract.id}`).send({ status: 'signed' });
    await sales.as(rep).patch(`/contracts/${contract.id}`).send({ status: 'active' });

    const receipt = await sales.as(rep).post(`/contracts/${contract.id}/receipts`).send({ amountMicros: micros(250), receivedAt: '2027-03-28T09:30:00Z', reference: '招行流水 001' });
    expect(receipt.status).toBe(201);
    expect(receipt.body.allocations).toEqual([
      { instalmentId: schedule[0].id, dueDate: '2027-03-31', amount: { amountMicros: micros(100), currency: 'CNY' } },
      { instalmentId: schedule[1].id, dueDate: '2027-06-30', amount: { amountMicros: micros(150), currency: 'CNY' } },
    ]);
    const named = await sales.as(rep).post(`/contracts/${contract.id}/receipts`).send({ amountMicros: micros(600), receivedAt: '2027-04-01T00:00:00Z', instalmentId: schedule[2].id });
    expect(named.status).toBe(201);
    const tooMuchForOne = await sales.as(rep).post(`/contracts/${contract.id}/receipts`).send({ amountMicros: micros(151), receivedAt: '2027-04-02T00:00:00Z', instalmentId: schedule[1].id });
    expect(tooMuchForOne.body.code).toBe('overpayment');
    const tooMuch = await sales.as(rep).post(`/contracts/${contract.id}/receipts`).send({ amountMicros: micros(151), receivedAt: '2027-04-02T00:00:00Z' });
    expect(tooMuch.status).toBe(422);

    const after = (await sales.as(rep).get(`/contracts/${contract.id}`)).body;
    expect(after.received).toEqual({ amountMicros: micros(850), currency: 'CNY' });
    expect(after.instalments.map((instalment: { paymentStatus: string; open: { amountMicros: string } }) => [instalment.paymentStatus, instalment.open.amountMicros])).toEqual([
      ['paid', '0'],
      ['partially_paid', micros(150)],
      ['paid', '0'],
    ]);
    const list = await sales.as(rep).get(`/contracts/${contract.id}/receipts`);
    expect(list.body.items).toHaveLength(2);
    expect(list.body.open).toEqual({ amountMicros: micros(150), currency: 'CNY' });

    const replaced = await sales.as(rep).put(`/contracts/${contract.id}/schedule`).send({ instalments: [{ dueDate: '2027-12-31', amountMicros: micros(1000) }] });
    expect(replaced.status).toBe(409);

    const payments = (await sales.outboxOf(contract.id)).filter((event) => event.type === 'crm.sales.payment.received.v1');
    expect(payments).toHaveLength(2);
    expect(payments[0].data).toMatchObject({
      tenantId,
      receiptId: receipt.body.id,
      contractId: contract.id,
      customerId,
      amountMicros: micros(250),
      currency: 'CNY',
      receivedAt: '2027-03-28T09:30:00.000Z',
      reference: '招行流水 001',
      contractOpenMicros: micros(750),
      ownerId: rep.userId,
      recordedBy: rep.userId,
    });
    expect(payments[0].data.allocations).toEqual([
      { instalmentId: schedule[0].id, dueDate: '2027-03-31', amountMicros: micros(100) },
      { instalmentId: schedule[1].id, dueDate: '2027-06-30', amountMicros: micros(150), openAfterMicros: micros(150) },
    ]);
  });

  it('moves invoice status forward only, with an invoice number from issued on', async () => {
    const contract = await draft();
    const [instalment] = (await sales.as(rep).put(`/contracts/${contract.id}/schedule`).send({ instalments: [{ dueDate: '2027-03-31', amountMicros: micros(1000) }] })).body.instalments;
    const path = `/contracts/${contract.id}/instalments/${instalment.id}/invoice`;
    expect((await sales.as(rep).post(path).send({ status: 'requested' })).body).toMatchObject({ invoiceStatus: 'requested', invoiceNumber: null });
    expect((await sales.as(rep).post(path).send({ status: 'issued' })).body.code).toBe('invoice_number_required');
    expect((await sales.as(rep).post(path).send({ status: 'issued', invoiceNumber: 'FP-2027-0001' })).body).toMatchObject({ invoiceStatus: 'issued', invoiceNumber: 'FP-2027-0001' });
    expect((await sales.as(rep).post(path).send({ status: 'requested' })).status).toBe(409);
    expect((await sales.as(rep).post(path).send({ status: 'sent' })).body).toMatchObject({ invoiceStatus: 'sent', invoiceNumber: 'FP-2027-0001' });
    expect((await sales.as(rep).post(`/contracts/${contract.id}/instalments/${randomUUID()}/invoice`).send({ status: 'requested' })).status).toBe(404);
    const events = (await sales.outboxOf(contract.id)).filter((event) => event.type === 'crm.sales.payment.invoice_status_changed.v1');
    expect(events.map((event) => [event.data.previousStatus, event.data.status])).toEqual([
      ['none', 'requested'],
      ['requested', 'issued'],
      ['issued', 'sent'],
    ]);
  });

  it('hands open contracts and their instalments to the new owner', async () => {
    const leaver = caller(tenantId, ['rep']);
    const heir = randomUUID();
    const open = (await sales.as(leaver).post('/contracts').send({ customerId, title: '在签合同', amountMicros: micros(10), currency: 'CNY', startDate: '2027-01-01' })).body;
    await sales.as(leaver).put(`/contracts/${open.id}/schedule`).send({ instalments: [{ dueDate: '2027-03-31', amountMicros: micros(10) }] });
    const ended = (await sales.as(leaver).post('/contracts').send({ customerId, title: '已终止', amountMicros: micros(10), currency: 'CNY', startDate: '2027-01-01' })).body;
    await sales.as(leaver).patch(`/contracts/${ended.id}`).send({ status: 'terminated' });

    const participant = sales.running.app.get(ContractsHandoverParticipant);
    const transactions = sales.running.app.get(TenantTransactions);
    const move = { tenantId, fromUserId: leaver.userId, toUserId: heir };
    expect(await transactions.runForTenant(tenantId, (manager) => participant.countOpenWork(manager, move))).toBe(1);
    expect(await transactions.runForTenant(tenantId, (manager) => participant.moveOpenWork(manager, move))).toBe(1);
    const owners = await sales.queryAsTenant<{ id: string; owner_id: string }>(tenantId, `SELECT id, owner_id FROM contracts WHERE id = ANY($1::uuid[]) ORDER BY title`, [[open.id, ended.id]]);
    expect(Object.fromEntries(owners.map((row) => [row.id, row.owner_id]))).toEqual({ [open.id]: heir, [ended.id]: leaver.userId });
    const [instalment] = await sales.queryAsTenant<{ owner_id: string }>(tenantId, `SELECT owner_id FROM contract_instalments WHERE contract_id = $1`, [open.id]);
    expect(instalment.owner_id).toBe(heir);
  });

  it("re-points a merged customer's orders and contracts to the survivor", async () => {
    const survivorId = await sales.publishCustomer({ tenantId, name: '深圳前海物流集团' });
    const mergedId = await sales.publishCustomer({ tenantId, name: '前海物流' });
    const order = (await sales.as(rep).post('/orders').send({ customerId: mergedId, currency: 'CNY', lines: [{ name: '仓储', quantity: 1, unitPriceMicros: micros(5) }] })).body;
    const contract = (await sales.as(rep).post('/contracts').send({ customerId: mergedId, title: '仓储合同', amountMicros: micros(5), currency: 'CNY', startDate: '2027-01-01' })).body;
    const merged = create(CustomerMergedSchema, {
      tenantId,
      customerId: survivorId,
      mergeId: randomUUID(),
      mergedCustomerIds: [mergedId],
      customer: create(CustomerSchema, { type: 'company', name: '深圳前海物流集团' }),
      version: 2n,
    });
    await sales.publishEvent(CustomerMergedEvent, merged, survivorId);
    expect((await sales.as(rep).get(`/orders/${order.id}`)).body.customerId).toBe(survivorId);
    expect((await sales.as(rep).get(`/contracts/${contract.id}`)).body.customerId).toBe(survivorId);
  });
});
