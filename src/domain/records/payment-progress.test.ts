import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountStillDue, fromFen, paymentProgress, toFen } from './payment-progress.js';

const instalments = [
  { id: 2, dueOn: '2024-02-01', amount: '200.00' },
  { id: 1, dueOn: '2024-01-01', amount: '100.00' },
  { id: 3, dueOn: '2024-03-01', amount: '300.00' },
];

describe('paymentProgress', () => {
  it('settles instalments in due-date order whatever order they were entered in', () => {
    const progress = paymentProgress('700.00', instalments, [{ amount: '150.00' }], '2024-02-15');
    expect(progress.instalments.map((row) => [row.id, row.paid, row.state])).toEqual([
      [1, '100.00', 'paid'],
      [2, '50.00', 'overdue'],
      [3, '0.00', 'due'],
    ]);
    expect(progress).toMatchObject({
      contract: '700.00',
      scheduled: '600.00',
      received: '150.00',
      outstanding: '550.00',
      overdue: '150.00',
      nextDue: { instalmentId: 3, dueOn: '2024-03-01', amount: '300.00' },
    });
  });

  it('counts an instalment due today as due, not overdue', () => {
    expect(paymentProgress(null, instalments, [], '2024-01-01').overdue).toBe('0.00');
    expect(paymentProgress(null, instalments, [], '2024-01-02').overdue).toBe('100.00');
  });

  it('uses the schedule as what is due when there is no contract amount', () => {
    const progress = paymentProgress(null, instalments, [{ amount: '600' }], '2024-12-31');
    expect(progress).toMatchObject({ outstanding: '0.00', overdue: '0.00', nextDue: null });
    expect(progress.instalments.every((row) => row.state === 'paid')).toBe(true);
  });

  it('marks a partly paid instalment not yet due as partly paid', () => {
    const progress = paymentProgress(null, instalments, [{ amount: '120' }], '2024-01-15');
    expect(progress.instalments[1]).toMatchObject({
      id: 2,
      paid: '20.00',
      remaining: '180.00',
      state: 'partly_paid',
    });
    expect(progress.nextDue).toEqual({ instalmentId: 2, dueOn: '2024-02-01', amount: '180.00' });
  });

  it('adds exactly in fen', () => {
    const dimes = Array.from({ length: 10 }, () => ({ amount: '0.10' }));
    expect(paymentProgress('1', [], dimes, '2024-01-01')).toMatchObject({
      received: '1.00',
      outstanding: '0.00',
    });
    expect(fromFen(toFen('12345678901234.99') + 1n)).toBe('12345678901235.00');
    expect(toFen('5')).toBe(500n);
    expect(toFen('5.5')).toBe(550n);
    expect(fromFen(-5n)).toBe('-0.05');
  });

  it('never reports more paid, overdue or outstanding than there is', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ day: fc.integer({ min: 1, max: 28 }), fen: fc.integer({ min: 1, max: 100_000 }) }),
          {
            maxLength: 8,
          },
        ),
        fc.array(fc.integer({ min: 1, max: 100_000 }), { maxLength: 8 }),
        fc.integer({ min: 1, max: 28 }),
        (rows, paid, today) => {
          const schedule = rows.map((row, id) => ({
            id,
            dueOn: `2024-05-${String(row.day).padStart(2, '0')}`,
            amount: fromFen(BigInt(row.fen)),
          }));
          const payments = paid.map((fen) => ({ amount: fromFen(BigInt(fen)) }));
          const progress = paymentProgress(
            null,
            schedule,
            payments,
            `2024-05-${String(today).padStart(2, '0')}`,
          );
          const scheduled = toFen(progress.scheduled);
          const received = toFen(progress.received);
          const covered = progress.instalments.reduce((total, row) => total + toFen(row.paid), 0n);
          // Payments cover the schedule up to what was received.
          expect(covered).toBe([received, scheduled].sort((a, b) => (a < b ? -1 : 1))[0]);
          expect(toFen(progress.overdue)).toBeLessThanOrEqual(scheduled - covered);
          expect(toFen(progress.outstanding)).toBe(amountStillDue(null, schedule, payments));
        },
      ),
    );
  });
});
