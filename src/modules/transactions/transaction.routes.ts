import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createTransactionSchema,
  transactionSchema,
  updateTransactionSchema,
} from './transaction.schemas.js';
import { createTransaction, deleteTransaction, listTransactions, updateTransaction } from './transactions.js';

const customerParams = z.object({ id: z.coerce.number().int().positive() });
const transactionParams = customerParams.extend({ txId: z.coerce.number().int().positive() });
// Strict: a misspelt filter (`customer=` for `customerId=`) is refused, not ignored.
const pageQuery = z.strictObject({
  from: z.string().optional(),
  to: z.string().optional(),
  category: z.string().optional(),
  product: z.string().optional(),
  channel: z.string().optional(),
  limit: z.coerce.number().int().optional(),
  cursor: z.string().optional(),
});
const pageSchema = z.object({ items: z.array(transactionSchema), nextCursor: z.string().nullable() });

export const transactionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/transactions',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['transactions'],
        summary: 'Transactions of all customers, newest first',
        querystring: pageQuery.extend({ customerId: z.coerce.number().int().positive().optional() }),
        response: { 200: pageSchema },
      },
    },
    (request) => listTransactions(request.ctx, request.query),
  );
  app.get(
    '/customers/:id/transactions',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['transactions'],
        summary: "A customer's transactions, newest first",
        params: customerParams,
        querystring: pageQuery,
        response: { 200: pageSchema },
      },
    },
    (request) => listTransactions(request.ctx, { ...request.query, customerId: request.params.id }),
  );
  app.post(
    '/customers/:id/transactions',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags: ['transactions'],
        summary: 'Record a transaction',
        params: customerParams,
        body: createTransactionSchema,
        response: { 201: transactionSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createTransaction(request.ctx, request.params.id, request.body)),
  );
  app.patch(
    '/customers/:id/transactions/:txId',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags: ['transactions'],
        summary: 'Correct a transaction',
        params: transactionParams,
        body: updateTransactionSchema,
        response: { 200: transactionSchema },
      },
    },
    (request) => updateTransaction(request.ctx, request.params.id, request.params.txId, request.body),
  );
  app.delete(
    '/customers/:id/transactions/:txId',
    {
      config: { permission: 'customers.write' },
      schema: { tags: ['transactions'], summary: 'Delete a transaction', params: transactionParams },
    },
    async (request, reply) => {
      await deleteTransaction(request.ctx, request.params.id, request.params.txId);
      return reply.status(204).send();
    },
  );
};
