import { listContacts } from '../modules/contacts/contacts.js';
import type { AppContext } from '../shared/context.js';

export const contactsOf = (ctx: AppContext, customerId: number) => listContacts(ctx, customerId);
