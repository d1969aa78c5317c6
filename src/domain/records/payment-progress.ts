/**
 * How far a project's customer has paid: the contract, the payment schedule (instalments) and the
 * payments received. Payments settle instalments in due-date order, whatever day they arrived, so an
 * instalment is overdue when its due date has passed and the payments received so far do not cover
 * it together with every instalment due before it. Amounts are exact decimal strings; arithmetic is
 * in whole fen (BigInt), never in floating point.
 */

export interface ScheduledInstalment {
  id: number;
  dueOn: string;
  amount: string;
}

export interface ReceivedPayment {
  amount: string;
}

export type InstalmentState = 'paid' | 'partly_paid' | 'due' | 'overdue';

export interface InstalmentProgress {
  id: number;
  dueOn: string;
  amount: string;
  /** What the payments received cover of this instalment. */
  paid: string;
  remaining: string;
  state: InstalmentState;
}

export interface PaymentProgress {
  /** The contract amount, when the project has one. */
  contract: string | null;
  /** Sum of the instalments. */
  scheduled: string;
  received: string;
  /** What may still be paid: the contract amount (or, without one, the schedule) less what was received. */
  outstanding: string;
  /** Unpaid parts of instalments whose due date has passed. */
  overdue: string;
  /** The earliest instalment not fully paid that is due today or later. */
  nextDue: { instalmentId: number; dueOn: string; amount: string } | null;
  instalments: InstalmentProgress[];
}

/** `"1234.5"` → 123450n fen. Input is a validated decimal with at most two places. */
export function toFen(amount: string): bigint {
  const negative = amount.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? amount.slice(1) : amount).split('.');
  const fen = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
  return negative ? -fen : fen;
}

/** 123450n → `"1234.50"`. */
export function fromFen(fen: bigint): string {
  const negative = fen < 0n;
  const absolute = negative ? -fen : fen;
  const text = `${absolute / 100n}.${String(absolute % 100n).padStart(2, '0')}`;
  return negative ? `-${text}` : text;
}

const sum = (amounts: readonly { amount: string }[]) =>
  amounts.reduce((total, item) => total + toFen(item.amount), 0n);

/** Instalments in the order payments settle them: due date, then the order they were entered. */
export function settlementOrder<T extends ScheduledInstalment>(instalments: readonly T[]): T[] {
  return [...instalments].sort((a, b) => (a.dueOn === b.dueOn ? a.id - b.id : a.dueOn < b.dueOn ? -1 : 1));
}

/**
 * The progress of one project on `today` (YYYY-MM-DD, the calendar day in China).
 *
 * @example
 * paymentProgress('100.00', [{ id: 1, dueOn: '2024-01-31', amount: '60.00' }], [{ amount: '50.00' }], '2024-02-01')
 * // { contract: '100.00', scheduled: '60.00', received: '50.00', outstanding: '50.00', overdue: '10.00', … }
 */
export function paymentProgress(
  contract: string | null,
  instalments: readonly ScheduledInstalment[],
  payments: readonly ReceivedPayment[],
  today: string,
): PaymentProgress {
  const scheduled = sum(instalments);
  const received = sum(payments);
  const total = contract === null ? scheduled : toFen(contract);
  let left = received;
  let overdue = 0n;
  let nextDue: PaymentProgress['nextDue'] = null;
  const rows: InstalmentProgress[] = settlementOrder(instalments).map((instalment) => {
    const amount = toFen(instalment.amount);
    const paid = left >= amount ? amount : left > 0n ? left : 0n;
    left -= paid;
    const remaining = amount - paid;
    const late = instalment.dueOn < today;
    if (remaining > 0n && late) overdue += remaining;
    if (remaining > 0n && !late && nextDue === null) {
      nextDue = { instalmentId: instalment.id, dueOn: instalment.dueOn, amount: fromFen(remaining) };
    }
    const state: InstalmentState =
      remaining === 0n ? 'paid' : late ? 'overdue' : paid > 0n ? 'partly_paid' : 'due';
    return {
      id: instalment.id,
      dueOn: instalment.dueOn,
      amount: fromFen(amount),
      paid: fromFen(paid),
      remaining: fromFen(remaining),
      state,
    };
  });
  return {
    contract: contract === null ? null : fromFen(toFen(contract)),
    scheduled: fromFen(scheduled),
    received: fromFen(received),
    outstanding: fromFen(total - received > 0n ? total - received : 0n),
    overdue: fromFen(overdue),
    nextDue,
    instalments: rows,
  };
}

/** What a project may still receive: contract (or schedule) less what was received, never below zero. */
export function amountStillDue(
  contract: string | null,
  instalments: readonly { amount: string }[],
  payments: readonly { amount: string }[],
): bigint {
  const total = contract === null ? sum(instalments) : toFen(contract);
  const left = total - sum(payments);
  return left > 0n ? left : 0n;
}
