import app from "../../remix.config.js";

/**
 * The Remix floor (docs/performance.md, "The floor"): a bare Remix app built with
 * the app's own future flags, imported so the two can never drift apart.
 * @type {import('@remix-run/dev').AppConfig}
 */
export default {
  ignoredRouteFiles: app.ignoredRouteFiles,
  serverModuleFormat: app.serverModuleFormat,
  serverPlatform: app.serverPlatform,
  serverDependenciesToBundle: app.serverDependenciesToBundle,
  future: app.future,
};
