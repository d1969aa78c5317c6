import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contactSchema, createContactSchema, updateContactSchema } from './contact.schemas.js';
import { createContact, deleteContact, listContacts, updateContact } from './contacts.js';

const customerParams = z.object({ id: z.coerce.number().int().positive() });
const contactParams = customerParams.extend({ contactId: z.coerce.number().int().positive() });

export const contactRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/customers/:id/contacts',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['contacts'],
        summary: "A customer's contacts, primary first",
        params: customerParams,
        response: { 200: z.object({ items: z.array(contactSchema) }) },
      },
    },
    async (request) => ({ items: await listContacts(request.ctx, request.params.id) }),
  );
  app.post(
    '/customers/:id/contacts',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags: ['contacts'],
        summary: 'Add a contact',
        params: customerParams,
        body: createContactSchema,
        response: { 201: contactSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createContact(request.ctx, request.params.id, request.body)),
  );
  app.patch(
    '/customers/:id/contacts/:contactId',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags: ['contacts'],
        summary: 'Update a contact',
        params: contactParams,
        body: updateContactSchema,
        response: { 200: contactSchema },
      },
    },
    (request) => updateContact(request.ctx, request.params.id, request.params.contactId, request.body),
  );
  app.delete(
    '/customers/:id/contacts/:contactId',
    {
      config: { permission: 'customers.write' },
      schema: { tags: ['contacts'], summary: 'Delete a contact', params: contactParams },
    },
    async (request, reply) => {
      await deleteContact(request.ctx, request.params.id, request.params.contactId);
      return reply.status(204).send();
    },
  );
};
