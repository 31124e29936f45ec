/**
 * The accounts the README's quick start logs in with: the shop's owner, one
 * staff account of each other role, and a customer. Demo data only: never seed
 * a production shop. A module of their own, with no imports, so that the web
 * app's development build can name them on its sign-in page
 * (`@mechanic-shop/core/demo-accounts`) without the rest of the core.
 */
export const DEMO_MECHANIC = { email: 'demo.mechanic@shop.example', password: 'demo mechanic password' };
export const DEMO_SERVICE_WRITER = { email: 'demo.writer@shop.example', password: 'demo writer password' };
export const DEMO_TECHNICIAN = { email: 'demo.tech@shop.example', password: 'demo tech password' };
export const DEMO_CUSTOMER = { email: 'demo.customer@shop.example', password: 'demo customer password' };
