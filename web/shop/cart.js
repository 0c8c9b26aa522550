// The shop's cart: lines kept in localStorage, priced from the live catalog
// (the cart itself is web/common/cart.js, shared with the portal).

import { createCart } from '/assets/common/cart.js';

export const cart = createCart('shelfsync.shop.cart');
