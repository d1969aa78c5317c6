import { describe, expect, it } from 'vitest';
import { describeItem } from './describe.js';

const now = new Date('2024-03-15T02:00:00.000Z');

describe('describeItem', () => {
  it('tells purchases from refunds', () => {
    expect(describeItem('transaction', { amount: '19.90', product: '绿茶' }, now)).toEqual({
      zh: '交易 ¥19.90 · 绿茶',
      en: 'Purchase ¥19.90 · 绿茶',
    });
    expect(describeItem('transaction', { amount: '-5.00', product: null }, now)).toEqual({
      zh: '退款 ¥5.00',
      en: 'Refund ¥5.00',
    });
  });

  it('names the channel and direction of a communication', () => {
    expect(describeItem('communication', { channel: 'wechat', direction: 'outbound' }, now)).toEqual({
      zh: '微信沟通（主动联系）',
      en: 'WeChat (outbound)',
    });
  });

  it('marks an open complaint past its due time as overdue, and a resolved one not', () => {
    const complaint = {
      kind: 'complaint',
      status: 'in_progress',
      rating: null,
      dueAt: '2024-03-14T00:00:00.000Z',
    };
    expect(describeItem('feedback', complaint, now)).toEqual({
      zh: '投诉（处理中，已超期）',
      en: 'Complaint (in progress, overdue)',
    });
    expect(describeItem('feedback', { ...complaint, status: 'resolved' }, now)).toEqual({
      zh: '投诉（已解决）',
      en: 'Complaint (resolved)',
    });
    expect(describeItem('feedback', { kind: 'review', status: 'open', rating: 4, dueAt: null }, now).en).toBe(
      'Review 4/5 (open)',
    );
  });

  it('tells planned, overdue, done and skipped follow-ups apart', () => {
    const plan = { method: 'visit', status: 'planned', dueAt: '2024-03-20T00:00:00.000Z' };
    expect(describeItem('followup', plan, now)).toEqual({
      zh: '跟进计划：拜访',
      en: 'Follow-up planned: visit',
    });
    expect(describeItem('followup', { ...plan, dueAt: '2024-03-01T00:00:00.000Z' }, now).zh).toBe(
      '跟进计划：拜访（已逾期）',
    );
    expect(describeItem('followup', { ...plan, status: 'done' }, now).en).toBe('Follow-up done: visit');
    expect(describeItem('followup', { ...plan, status: 'skipped' }, now).zh).toBe('跟进已跳过：拜访');
  });

  it('describes projects, instalments, payments and tier changes', () => {
    expect(describeItem('project', { name: 'ERP', status: 'planned', contractAmount: null }, now).en).toBe(
      'Project created: ERP (planned)',
    );
    expect(describeItem('instalment', { amount: '10.00', projectName: 'ERP' }, now).zh).toBe(
      '应收款到期 ¥10.00（ERP）',
    );
    expect(
      describeItem('tier', { from: 'mid', to: 'high', scheme: 'monthly-spend', kind: 'review' }, now),
    ).toEqual({
      zh: '等级变更：mid → high（monthly-spend）',
      en: 'Tier changed: mid → high (monthly-spend)',
    });
  });
});
