import { z } from 'zod';
import { notFound } from '../../shared/app-error.js';
import type { AppContext } from '../../shared/context.js';
import { parseOrThrow } from '../../shared/validation.js';
import { assertCustomerAccess } from '../access/scope.js';
import { recordAudit } from '../audit/audit-log.js';

/** Purposes a customer consents to (PIPL: the purpose and scope are stated before processing). */
export const consentPurposes = ['marketing', 'service', 'analytics', 'third_party'] as const;
export type ConsentPurpose = (typeof consentPurposes)[number];

export const consentInputSchema = z.object({
  purpose: z.enum(consentPurposes),
  scope: z.string().trim().max(500).optional().describe('What data, for what, e.g. 电话和微信用于新品推荐'),
  channel: z.string().trim().max(100).optional().describe('How it was given: 纸质表单, 网页勾选, 电话录音…'),
  grantedAt: z.iso.datetime({ offset: true }).optional(),
});

export interface Consent {
  id: number;
  customerId: number;
  purpose: ConsentPurpose;
  scope: string | null;
  channel: string | null;
  grantedAt: string;
  withdrawnAt: string | null;
  recordedBy: string;
}

const SELECT = `SELECT id, customer_id AS "customerId", purpose, scope, channel, granted_at AS "grantedAt",
  withdrawn_at AS "withdrawnAt", recorded_by AS "recordedBy" FROM consents`;

export async function listConsents(ctx: AppContext, customerId: number): Promise<Consent[]> {
  await assertCustomerAccess(ctx, ctx.db, customerId, 'read');
  const { rows } = await ctx.db.query<Consent>(`${SELECT} WHERE customer_id = $1 ORDER BY granted_at, id`, [
    customerId,
  ]);
  return rows;
}

export async function recordConsent(ctx: AppContext, customerId: number, input: unknown): Promise<Consent> {
  const consent = parseOrThrow(consentInputSchema, input);
  return ctx.db.transaction(async (tx) => {
    await assertCustomerAccess(ctx, tx, customerId, 'write');
    const { rows } = await tx.query<Consent>(
      `INSERT INTO consents (customer_id, purpose, scope, channel, granted_at, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING id, customer_id AS "customerId", purpose, scope, channel, granted_at AS "grantedAt",
                 withdrawn_at AS "withdrawnAt", recorded_by AS "recordedBy"`,
      [
        customerId,
        consent.purpose,
        consent.scope ?? null,
        consent.channel ?? null,
        consent.grantedAt ?? ctx.now().toISOString(),
        ctx.actor.name,
      ],
    );
    const created = rows[0] as Consent;
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'consent.grant',
        entityType: 'consent',
        entityId: created.id,
        customerId,
        details: { purpose: consent.purpose, channel: consent.channel ?? null },
      },
      ctx.now(),
    );
    return created;
  });
}

export async function withdrawConsent(
  ctx: AppContext,
  customerId: number,
  consentId: number,
): Promise<Consent> {
  return ctx.db.transaction(async (tx) => {
    await assertCustomerAccess(ctx, tx, customerId, 'write');
    const { rows } = await tx.query<Consent>(
      `UPDATE consents SET withdrawn_at = coalesce(withdrawn_at, $3) WHERE customer_id = $1 AND id = $2
       RETURNING id, customer_id AS "customerId", purpose, scope, channel, granted_at AS "grantedAt",
                 withdrawn_at AS "withdrawnAt", recorded_by AS "recordedBy"`,
      [customerId, consentId, ctx.now().toISOString()],
    );
    if (!rows[0]) throw notFound({ zh: '同意记录', en: 'Consent' });
    await recordAudit(
      tx,
      ctx.actor,
      {
        action: 'consent.withdraw',
        entityType: 'consent',
        entityId: consentId,
        customerId,
        details: { purpose: rows[0].purpose },
      },
      ctx.now(),
    );
    return rows[0];
  });
}

/** SQL: customer alias `alias` has an active (granted, not withdrawn) consent for the purpose in `param`. */
export function activeConsentCondition(alias: string, purposeParam: string): string {
  return `EXISTS (SELECT 1 FROM consents g WHERE g.customer_id = ${alias}.id AND g.purpose = ${purposeParam}
    AND g.withdrawn_at IS NULL)`;
}
