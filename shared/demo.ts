/**
 * The password of every demo vault (`npm start -- --demo`, "Try a demo vault"). Not a secret: the
 * demo holds made-up values, and its unlock screen shows this password.
 */
export const DEMO_PASSWORD = 'coffer-demo-password';
