/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
  serverModuleFormat: "esm",
  serverPlatform: "node",
  // Server-only packages are left to node_modules at run time, not bundled.
  serverDependenciesToBundle: [],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    // One `.data` request per navigation, turbo-stream on the wire (docs/decisions/012).
    v3_singleFetch: true,
    // The whole manifest up front, cached as one file (docs/decisions/009).
    v3_lazyRouteDiscovery: false,
  },
};
