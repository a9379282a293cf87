import { randomUUID } from "node:crypto";
import { jwtVerify } from "jose";
import { ACCESS_TOKEN_ISSUER } from "./jwt";
import { formatCents, parseAmount } from "./money";
import type { StandinState } from "./state";

/**
 * The proof of strong customer authentication that Auth gives and Payments takes:
 * an ES256 JWT signed with Auth's JWKS key, bound to the customer and to one
 * payment (amount, currency, payee IBAN: "dynamic linking"), short-lived, and
 * good for one payment (its `jti`, remembered by Payments once spent). Its own
 * `typ` and audience keep it from passing for an access token, and the reverse.
 */

export const SCA_TOKEN_TYPE = "sca+jwt";
export const SCA_TOKEN_AUDIENCE = "urn:standin:payments:sca";
export const SCA_TOKEN_TTL_S = 120;

export interface ScaTokenClaims {
  sub: string;
  /** Decimal string with two decimals, e.g. "250.00". */
  amount: string;
  currency: string;
  /** Normalised (no spaces, upper case). */
  creditorIban: string;
  jti: string;
  exp: number;
}

export interface ScaPayment {
  userId: string;
  amountCents: number;
  currency: string;
  creditorIban: string;
}

export function signScaToken(state: StandinState, payment: ScaPayment): Promise<string> {
  const iat = Math.floor(state.now() / 1000);
  return state.keys.signJwt(SCA_TOKEN_TYPE, {
    iss: ACCESS_TOKEN_ISSUER,
    aud: SCA_TOKEN_AUDIENCE,
    sub: payment.userId,
    amount: formatCents(payment.amountCents),
    currency: payment.currency,
    creditorIban: payment.creditorIban,
    jti: randomUUID(),
    iat,
    exp: iat + SCA_TOKEN_TTL_S,
  });
}

/** The claims of a well-signed, unexpired SCA token (against the published JWKS), or undefined. */
export async function verifyScaToken(state: StandinState, token: string): Promise<ScaTokenClaims | undefined> {
  try {
    const { payload } = await jwtVerify(token, state.keys.keySet, {
      issuer: ACCESS_TOKEN_ISSUER,
      audience: SCA_TOKEN_AUDIENCE,
      algorithms: ["ES256"],
      typ: SCA_TOKEN_TYPE,
      currentDate: new Date(state.now()),
      requiredClaims: ["sub", "jti", "exp"],
    });
    const { sub, amount, currency, creditorIban, jti, exp } = payload;
    if (typeof sub !== "string" || typeof jti !== "string" || typeof exp !== "number") return undefined;
    if (typeof amount !== "string" || typeof currency !== "string" || typeof creditorIban !== "string") return undefined;
    return { sub, amount, currency, creditorIban, jti, exp };
  } catch {
    return undefined;
  }
}

/** Whether the token confirms exactly this payment of this customer. */
export function confirmsPayment(claims: ScaTokenClaims, payment: ScaPayment): boolean {
  return (
    claims.sub === payment.userId &&
    parseAmount(claims.amount) === payment.amountCents &&
    claims.currency === payment.currency &&
    claims.creditorIban === payment.creditorIban
  );
}
