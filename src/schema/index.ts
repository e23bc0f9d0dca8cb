// The GraphQL schema: every domain file registers its types on the builder when imported.
import { builder } from './builder.js';
import './errors.js';
import './common.js';
import './connection.js';
import './shop.js';
import './product.js';
import './inventory.js';
import './inventory-mutations.js';
import './order.js';
import './analytics.js';
import './content.js';
import './oauth.js';
import './webhooks.js';
import './subscriptions.js';

export const schema = builder.toSchema();
