/**
 * Debian's Chromium, never a downloaded browser (browsers cannot be fetched here),
 * with the flags every browser of this project runs with: without the networking
 * ones Chromium floods the closed network. Playwright and `npm run audit` share them.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
