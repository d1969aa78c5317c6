/**
 * How complete a customer record is: each field present adds its weight; the weights add up to 100,
 * so the score is 0–100. Change the weights here only — the SQL of the score, the list of missing
 * fields and the documentation all come from this constant.
 *
 * `filled` is an SQL condition on the customers row `c`. Encrypted fields (phone, e-mail, WeChat,
 * QQ, address) hold ciphertext when present, so presence needs no decryption.
 */
export const COMPLETENESS_WEIGHTS = [
  { field: 'name', weight: 5, filled: "btrim(c.name) <> ''" },
  { field: 'phone', weight: 20, filled: 'c.phone IS NOT NULL' },
  { field: 'email', weight: 10, filled: 'c.email IS NOT NULL' },
  {
    field: 'region',
    weight: 10,
    filled: "nullif(btrim(c.province), '') IS NOT NULL AND nullif(btrim(c.city), '') IS NOT NULL",
  },
  { field: 'address', weight: 5, filled: 'c.address IS NOT NULL' },
  { field: 'industry', weight: 10, filled: "nullif(btrim(c.industry), '') IS NOT NULL" },
  { field: 'source', weight: 10, filled: "nullif(btrim(c.source), '') IS NOT NULL" },
  { field: 'owner', weight: 10, filled: 'c.owner_id IS NOT NULL' },
  { field: 'firstContactOn', weight: 10, filled: 'c.first_contact_on IS NOT NULL' },
  { field: 'wechatOrQq', weight: 5, filled: 'c.wechat IS NOT NULL OR c.qq IS NOT NULL' },
  { field: 'communicationChannel', weight: 5, filled: 'c.communication_channel IS NOT NULL' },
] as const;

export type CompletenessField = (typeof COMPLETENESS_WEIGHTS)[number]['field'];

/** Score bands of the summary, lowest first: [min, max] inclusive. */
export const SCORE_BANDS = [
  { band: '0-39', min: 0, max: 39 },
  { band: '40-59', min: 40, max: 59 },
  { band: '60-79', min: 60, max: 79 },
  { band: '80-100', min: 80, max: 100 },
] as const;

/** The score of customers row `c` as one SQL integer expression. */
export function completenessScoreSql(): string {
  return `(${COMPLETENESS_WEIGHTS.map(({ weight, filled }) => `CASE WHEN ${filled} THEN ${weight} ELSE 0 END`).join(' + ')})`;
}

/** The fields missing from customers row `c`, as an SQL text[] in the order of the weights. */
export function missingFieldsSql(): string {
  return `array_remove(ARRAY[${COMPLETENESS_WEIGHTS.map(
    ({ field, filled }) => `CASE WHEN NOT (${filled}) THEN '${field}' END`,
  ).join(', ')}]::text[], NULL)`;
}

/**
 * The same score computed from which fields are present (for tests and for a record being edited).
 *
 * @example completenessScore(new Set(['name', 'phone'])) // 25
 */
export function completenessScore(present: ReadonlySet<string>): number {
  return COMPLETENESS_WEIGHTS.reduce((sum, { field, weight }) => sum + (present.has(field) ? weight : 0), 0);
}
