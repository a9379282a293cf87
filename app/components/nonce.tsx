import { createContext, useContext } from "react";

/**
 * The CSP nonce of this response, given to every script Remix renders. Browsers
 * hide nonce values from the DOM, so on the client it is "" (and unused).
 */
const NonceContext = createContext("");

export const NonceProvider = NonceContext.Provider;

export function useNonce(): string {
  return useContext(NonceContext);
}
