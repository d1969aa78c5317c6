import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../shared/context.js';
import { contactSchema, createContactSchema, updateContactSchema } from './contact.schemas.js';
import { createContact, deleteContact, listContacts, updateContact } from './contacts.js';

const customerParams = z.object({ id: z.coerce.number().int().positive() });
const contactParams = customerParams.extend({ contactId: z.coerce.number().int().positive() });

export const contactRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/customers/:id/contacts',
    {
      schema: {
        tags: ['contacts'],
        summary: "A customer's contacts, primary first",
        params: customerParams,
        response: { 200: z.object({ items: z.array(contactSchema) }) },
      },
    },
    async (request) => ({ items: await listContacts(ctx, request.params.id) }),
  );
  app.post(
    '/customers/:id/contacts',
    {
      schema: {
        tags: ['contacts'],
        summary: 'Add a contact',
        params: customerParams,
        body: createContactSchema,
        response: { 201: contactSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createContact(ctx, request.params.id, request.body)),
  );
  app.patch(
    '/customers/:id/contacts/:contactId',
    {
      schema: {
        tags: ['contacts'],
        summary: 'Update a contact',
        params: contactParams,
        body: updateContactSchema,
        response: { 200: contactSchema },
      },
    },
    (request) => updateContact(ctx, request.params.id, request.params.contactId, request.body),
  );
  app.delete(
    '/customers/:id/contacts/:contactId',
    { schema: { tags: ['contacts'], summary: 'Delete a contact', params: contactParams } },
    async (request, reply) => {
      await deleteContact(ctx, request.params.id, request.params.contactId);
      return reply.status(204).send();
    },
  );
};
