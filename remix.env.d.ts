/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

// Single fetch's serialization types for useLoaderData/useActionData (docs/decisions/012).
// An augmentation, not a new module: this file must stay a module (the export below).
declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export {};
